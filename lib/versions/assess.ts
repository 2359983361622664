/**
 * Whether a deployment's configured versions are still current, from what the live sources
 * answered. Pure: the answers come in, findings go out.
 */
import type { AksMinorVersion } from "./aks-versions";
import type { ChartIndex } from "./chart-index";
import { compareChartVersions, parseChartVersion, type ChartVersion } from "./chart-version";
import { assessFit } from "./compatibility";
import { UPSTREAM_END_OF_LIFE } from "./kubernetes-support";
import { parseKubernetesVersion, type KubernetesVersion } from "./kubernetes-version";
import type { SourceError } from "./source-error";

/** current: nothing to do; change: the configuration should change; unchecked: its source could not be asked; skipped: nothing to check. */
export type Status = "current" | "change" | "unchecked" | "skipped";

export interface Finding {
  readonly deployment: string;
  readonly setting: "cluster.kubernetesVersion" | "virtualNode.chartVersion";
  readonly configured: string;
  /** What is current, in a few words. */
  readonly current: string;
  /** The verdict, in a word or two: `current`, `not offered`, `newer chart`, ... */
  readonly verdict: string;
  readonly status: Status;
  /** The value to set, when the configuration should change and there is one to suggest. */
  readonly set?: string;
  /** Something to know that is not a change to make (a build line past its upstream support). */
  readonly note?: string;
  /** What was asked. */
  readonly source: string;
}

/** The part of a deployment the check reads. */
export interface VersionedDeployment {
  readonly name: string;
  readonly location: string;
  readonly cluster: { readonly kubernetesVersion: string };
  readonly virtualNode: { readonly chartVersion: string; readonly repository: string; readonly chartPath?: string };
}

type Answer<T> = { readonly source: string; readonly value?: T; readonly error?: SourceError };

const unchecked = (base: Omit<Finding, "current" | "verdict" | "status">, error: SourceError): Finding => ({
  ...base,
  current: "unknown",
  verdict: "could not ask",
  status: "unchecked",
  source: error.source,
});

/** The cluster's minor version against `az aks get-versions` for its region. */
export function assessKubernetes(d: VersionedDeployment, answer: Answer<readonly AksMinorVersion[]>): Finding {
  const configured = d.cluster.kubernetesVersion;
  const base = { deployment: d.name, setting: "cluster.kubernetesVersion" as const, configured, source: answer.source };
  if (answer.error || !answer.value) return unchecked(base, answer.error!);
  const wanted = parseKubernetesVersion(configured)!;
  const standard = answer.value.filter((v) => !v.preview && v.standardSupport).sort((a, b) => a.parsed.minor - b.parsed.minor);
  const newest = standard[standard.length - 1];
  const newestText = newest ? `newest ${newest.version}` : "no version with standard support";
  const entry = answer.value.find((v) => v.version === wanted.minorText);
  // An existing cluster moves one minor version at a time: the next one offered is the way on.
  const next = standard.find((v) => v.parsed.minor > wanted.minor) ?? newest;
  const change = (verdict: string, current: string, set: string | undefined): Finding => ({ ...base, current, verdict, status: "change", ...(set ? { set } : {}) });

  if (entry === undefined) return change("not offered", `offered in ${d.location}: ${standard.map((v) => v.version).join(", ") || "none"}`, next?.version);
  if (entry.preview) return change("preview only", `${wanted.minorText} is a preview in ${d.location}; ${newestText}`, next?.version);
  if (!entry.standardSupport) {
    return change("LTS only", `${wanted.minorText} only with AKS Long-Term Support in ${d.location}; ${newestText}`, next?.version);
  }
  if (wanted.patch !== undefined && !entry.patches.includes(configured)) {
    const patches = [...entry.patches].sort(byPatch);
    return change("patch not offered", `${wanted.minorText} patches offered: ${patches.join(", ") || "none"}`, patches[patches.length - 1] ?? wanted.minorText);
  }
  return { ...base, current: `offered in ${d.location}; ${newestText}`, verdict: "current", status: "current" };
}

/**
 * The chart version against the repository's index, for the cluster version the deployment is to
 * run: `kubernetes`'s value to set when it says to change, else the configured one. So one run
 * gives one consistent target: the chart for the version it tells you to set.
 */
export function assessChart(d: VersionedDeployment, answer: Answer<ChartIndex> | undefined, kubernetes?: Finding, today: Date = new Date()): Finding {
  const configured = d.virtualNode.chartVersion;
  const base = { deployment: d.name, setting: "virtualNode.chartVersion" as const, configured };
  if (d.virtualNode.chartPath !== undefined || answer === undefined) {
    return { ...base, current: "not checked", verdict: "local chart", status: "skipped", source: `virtualNode.chartPath ${d.virtualNode.chartPath}` };
  }
  if (answer.error || !answer.value) return unchecked({ ...base, source: answer.source }, answer.error!);
  const target = kubernetes?.status === "change" && kubernetes.set !== undefined ? kubernetes.set : d.cluster.kubernetesVersion;
  const cluster = parseKubernetesVersion(target)!;
  const forTarget = target === d.cluster.kubernetesVersion ? `AKS ${cluster.minorText}` : `AKS ${cluster.minorText}, the version to set`;
  const best = bestFitting(answer.value.versions, cluster);
  const current = best ? `${best.chart.text}, newest ${best.tested ? "tested" : "allowed"} for ${forTarget}` : `none in the index fits ${forTarget}`;
  const mine = parseChartVersion(configured)!;
  const fitsTarget = assessFit(mine, cluster.minor);
  const chosen = best?.chart ?? mine;
  const note = upstreamSupportNote(chosen, today);
  const found = { ...base, current, source: answer.source, ...(note ? { note } : {}) };
  if (!answer.value.versions.includes(configured)) return { ...found, verdict: "not in index", status: "change", ...(best ? { set: best.chart.text } : {}) };
  if (fitsTarget.kind === "incompatible") return { ...found, verdict: `refused with ${cluster.minorText}`, status: "change", ...(best ? { set: best.chart.text } : {}) };
  if (best && compareChartVersions(best.chart, mine) > 0) return { ...found, verdict: "newer chart", status: "change", set: best.chart.text };
  if (best?.tested && !isTestedFit(fitsTarget)) return { ...found, verdict: "tested chart", status: "change", set: best.chart.text };
  return { ...found, verdict: "current", status: "current" };
}

const isTestedFit = (fit: ReturnType<typeof assessFit>): boolean => fit.kind === "tested" || fit.kind === "documented";

/**
 * The newest listed version the compatibility rules mark tested (or documented) for this cluster;
 * when there is none, the newest they do not refuse. Synthesis warns about an untested pair, so
 * following the advice must not lead to one where a tested pair exists.
 */
function bestFitting(versions: readonly string[], cluster: KubernetesVersion): { chart: ChartVersion; tested: boolean } | undefined {
  const fitting = versions
    .map(parseChartVersion)
    .filter((v): v is ChartVersion => v !== undefined)
    .map((chart) => ({ chart, fit: assessFit(chart, cluster.minor) }))
    .filter(({ fit }) => fit.kind !== "incompatible")
    .sort((a, b) => compareChartVersions(b.chart, a.chart));
  const tested = fitting.find(({ fit }) => isTestedFit(fit));
  if (tested) return { chart: tested.chart, tested: true };
  return fitting[0] ? { chart: fitting[0].chart, tested: false } : undefined;
}

/** For a build whose Kubernetes line has left upstream support: that its kubelet gets no more security patches. */
function upstreamSupportNote(chart: ChartVersion, today: Date): string | undefined {
  const ended = UPSTREAM_END_OF_LIFE[chart.kubernetesMinor];
  if (ended === undefined || today.toISOString().slice(0, 10) <= ended) return undefined;
  return `Kubernetes 1.${chart.kubernetesMinor} left upstream support on ${ended}: the virtual node's kubelet in a 1.${chart.kubernetesMinor} build (${chart.text}) gets no more security patches; move to a newer line once the chart maintainers' table marks one tested with the cluster's version`;
}

function byPatch(a: string, b: string): number {
  return Number(a.split(".")[2]) - Number(b.split(".")[2]);
}
