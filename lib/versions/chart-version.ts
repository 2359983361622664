/**
 * Virtual node chart versions name the Kubernetes build they ship: `1.MMPP.YYMMDDNN`, so
 * 1.3409.26080501 is Kubernetes 1.34.9, built on 2026-08-05, the day's build 01 (facts.md,
 * "Release currency", from the chart repository's index of 2026-08-06).
 */

export interface ChartVersion {
  /** As written, e.g. `1.3409.26080501`. */
  readonly text: string;
  /** Minor version of the Kubernetes binaries (the virtual node's kubelet): 34 for 1.3409.26080501. */
  readonly kubernetesMinor: number;
  readonly kubernetesPatch: number;
  /** `1.34.9` */
  readonly kubernetes: string;
  /** Build date, `2026-08-05`. */
  readonly built: string;
  /** Number of the build on that day: 1 for `...01`. */
  readonly buildOfDay: number;
}

const PATTERN = /^1\.(\d{2})(\d{2})\.(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** The chart version's parts, or undefined when it does not have the `1.MMPP.YYMMDDNN` shape or the date does not exist. */
export function parseChartVersion(text: string): ChartVersion | undefined {
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  const [minor, patch, year, month, day, build] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(2000 + year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return {
    text,
    kubernetesMinor: minor,
    kubernetesPatch: patch,
    kubernetes: `1.${minor}.${patch}`,
    built: date.toISOString().slice(0, 10),
    buildOfDay: build,
  };
}

/** Orders chart versions as the chart repository does: by Kubernetes version, then by build. */
export function compareChartVersions(a: ChartVersion, b: ChartVersion): number {
  return (
    a.kubernetesMinor - b.kubernetesMinor ||
    a.kubernetesPatch - b.kubernetesPatch ||
    a.built.localeCompare(b.built) ||
    a.buildOfDay - b.buildOfDay
  );
}

/** How a chart line is written in messages: `1.34` builds are the chart versions `1.34PP.YYMMDDNN`. */
export function chartLine(minor: number): string {
  return `1.${minor} (chart versions 1.${minor}PP.YYMMDDNN)`;
}
