/**
 * The verdicts of `npm run versions` (lib/versions/assess.ts) and its command line, in-process:
 * the end-to-end cases are in e2e/versions-command.test.ts.
 */
import type { AksMinorVersion } from "../lib/versions/aks-versions";
import { DEFAULT_TIMEOUT_SECONDS, parseVersionsArgs, UsageError } from "../lib/versions/args";
import { assessChart, assessKubernetes, type VersionedDeployment } from "../lib/versions/assess";
import { CHART_NAME, indexUrl } from "../lib/versions/chart-index";
import { parseChartVersion } from "../lib/versions/chart-version";
import { assessFit } from "../lib/versions/compatibility";
import { parseKubernetesVersion } from "../lib/versions/kubernetes-version";
import { SourceError } from "../lib/versions/source-error";
import { VIRTUAL_NODE_CHART } from "../stacks/operator-stack";

const REGION = "az aks get-versions --location eastus --output json";
const INDEX = "https://charts.example/index.yaml";

function deployment(kubernetesVersion = "1.36", chartVersion = "1.3409.26080501", chartPath?: string): VersionedDeployment {
  return { name: "integ", location: "eastus", cluster: { kubernetesVersion }, virtualNode: { chartVersion, repository: "https://charts.example/", ...(chartPath ? { chartPath } : {}) } };
}

function minor(version: string, patches: string[], options: { preview?: boolean; standardSupport?: boolean } = {}): AksMinorVersion {
  return { version, parsed: parseKubernetesVersion(version)!, patches, preview: options.preview ?? false, standardSupport: options.standardSupport ?? true };
}

const offered = (...minors: AksMinorVersion[]) => ({ source: REGION, value: minors });
const index = (...versions: string[]) => ({ source: INDEX, value: { url: INDEX, versions } });

describe("assessKubernetes", () => {
  it("is current when the region offers the minor with standard support, and names the newest", () => {
    expect(assessKubernetes(deployment(), offered(minor("1.36", ["1.36.2"]), minor("1.37", ["1.37.0"]), minor("1.38", [], { preview: true })))).toEqual({
      deployment: "integ",
      setting: "cluster.kubernetesVersion",
      configured: "1.36",
      current: "offered in eastus; newest 1.37",
      verdict: "current",
      status: "current",
      source: REGION,
    });
  });

  it("suggests the next minor offered, one at a time, when the minor is gone", () => {
    expect(assessKubernetes(deployment("1.33"), offered(minor("1.35", []), minor("1.36", []), minor("1.37", [])))).toMatchObject({ verdict: "not offered", status: "change", set: "1.35" });
  });

  it("suggests the newest when the configured minor is newer than anything offered", () => {
    expect(assessKubernetes(deployment("1.39"), offered(minor("1.36", []), minor("1.37", [])))).toMatchObject({ verdict: "not offered", set: "1.37" });
  });

  it("calls a minor only LTS still offers a change, and a preview one too", () => {
    expect(assessKubernetes(deployment("1.34"), offered(minor("1.34", [], { standardSupport: false }), minor("1.36", [])))).toMatchObject({ verdict: "LTS only", status: "change", set: "1.36" });
    expect(assessKubernetes(deployment("1.38"), offered(minor("1.37", []), minor("1.38", [], { preview: true })))).toMatchObject({ verdict: "preview only", status: "change", set: "1.37" });
  });

  it("checks the exact patch when one is configured, suggesting the newest patch of the minor", () => {
    const answer = offered(minor("1.36", ["1.36.10", "1.36.9"]));
    expect(assessKubernetes(deployment("1.36.2"), answer)).toMatchObject({ verdict: "patch not offered", status: "change", set: "1.36.10" });
    expect(assessKubernetes(deployment("1.36.9"), answer)).toMatchObject({ verdict: "current", status: "current" });
  });

  it("is unchecked, naming the source, when the region could not be asked", () => {
    const error = new SourceError(REGION, "no answer within 10s");
    expect(assessKubernetes(deployment(), { source: REGION, error })).toMatchObject({ verdict: "could not ask", status: "unchecked", current: "unknown", source: REGION });
  });
});

describe("assessChart", () => {
  it("suggests the newest build that fits the cluster, never one for a newer cluster", () => {
    // GIVEN an index with a 1.37 build WHEN the cluster is 1.36 THEN that build is not suggested
    const answer = index("1.3701.26110101", "1.3409.26080501", "1.3408.26072301");
    expect(assessChart(deployment("1.36", "1.3408.26072301"), answer)).toMatchObject({ current: "1.3409.26080501, newest tested for AKS 1.36", verdict: "newer chart", set: "1.3409.26080501" });
    expect(assessChart(deployment("1.36"), answer)).toMatchObject({ verdict: "current", status: "current" });
  });

  it("suggests a newer compatible line", () => {
    expect(assessChart(deployment("1.34", "1.3307.26033004"), index("1.3409.26080501", "1.3307.26033004"))).toMatchObject({ verdict: "newer chart", set: "1.3409.26080501" });
  });

  it("does not call an older line with a newer build date newer", () => {
    expect(assessChart(deployment("1.34", "1.3406.26062601"), index("1.3307.26080101", "1.3406.26062601"))).toMatchObject({ verdict: "current" });
  });

  it("says when the configured version is not in the index", () => {
    expect(assessChart(deployment("1.36", "1.3409.26090101"), index("1.3409.26080501"))).toMatchObject({ verdict: "not in index", status: "change", set: "1.3409.26080501" });
  });

  it("gives one target per deployment: the chart for the Kubernetes version it says to set", () => {
    // GIVEN a 1.34 cluster that should move to 1.35, and an index with 1.34 and 1.35 builds
    const d = deployment("1.34", "1.3409.26080501");
    const kubernetes = assessKubernetes(d, offered(minor("1.35", []), minor("1.36", [])));
    const chart = assessChart(d, index("1.3508.26091601", "1.3507.26090301", "1.3410.26082101", "1.3410.26081102", "1.3409.26080501"), kubernetes, new Date("2026-12-07"));
    // THEN the chart is the newest the table marks tested on 1.35 (not the untested 1.35 builds)
    expect(kubernetes).toMatchObject({ status: "change", set: "1.35" });
    expect(chart).toMatchObject({ current: "1.3410.26082101, newest tested for AKS 1.35, the version to set", verdict: "refused with 1.35", status: "change", set: "1.3410.26082101" });
    // AND following the advice, synthesis finds the pair tested (it warns only on untested pairs)
    expect(assessFit(parseChartVersion(chart.set!)!, 35).kind).toBe("tested");
  });

  it("prefers a tested build to a newer untested one", () => {
    const chart = assessChart(deployment("1.35", "1.3508.26091601"), index("1.3508.26091601", "1.3410.26082101"), undefined, new Date("2026-12-07"));
    expect(chart).toMatchObject({ verdict: "tested chart", status: "change", set: "1.3410.26082101" });
  });

  it("says when the recommended build's Kubernetes line has left upstream support", () => {
    const answer = index("1.3410.26082101");
    const after = assessChart(deployment("1.36", "1.3410.26082101"), answer, undefined, new Date("2026-12-07"));
    expect(after.note).toBe(
      "Kubernetes 1.34 left upstream support on 2026-10-27: the virtual node's kubelet in a 1.34 build (1.3410.26082101) gets no more security patches; move to a newer line once the chart maintainers' table marks one tested with the cluster's version",
    );
    expect(assessChart(deployment("1.36", "1.3410.26082101"), answer, undefined, new Date("2026-10-27")).note).toBeUndefined();
  });

  it("skips a local chart", () => {
    expect(assessChart(deployment("1.36", "1.3409.26080501", "vendor/virtualnode"), undefined)).toMatchObject({ verdict: "local chart", status: "skipped" });
  });
});

describe("the command line and the index address", () => {
  it("takes --json and --timeout, with 10 s per source by default", () => {
    expect(parseVersionsArgs([])).toEqual({ help: false, json: false, timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000 });
    expect(DEFAULT_TIMEOUT_SECONDS).toBe(10);
    expect(parseVersionsArgs(["--json", "--timeout", "2.5"])).toEqual({ help: false, json: true, timeoutMs: 2500 });
  });

  it.each([["--timeout", "0"], ["--timeout", "soon"], ["--timeout", "601"], ["--yaml"], ["integ"]])("refuses %s %s", (...argv) => {
    expect(() => parseVersionsArgs(argv.filter((arg) => arg !== undefined))).toThrow(UsageError);
  });

  it("reads <repository>/index.yaml of the chart the operator stack installs", () => {
    expect(indexUrl("https://microsoft.github.io/virtualnodesOnAzureContainerInstances/")).toBe("https://microsoft.github.io/virtualnodesOnAzureContainerInstances/index.yaml");
    expect(indexUrl("https://charts.example/vn")).toBe("https://charts.example/vn/index.yaml");
    expect(CHART_NAME).toBe(VIRTUAL_NODE_CHART);
  });
});
