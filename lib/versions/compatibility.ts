/**
 * Which virtual node builds fit which AKS versions.
 *
 * Source: the compatibility table of the virtual nodes on Azure Container Instances chart
 * (github.com/microsoft/virtualnodesOnAzureContainerInstances, Docs/VersionCompatibility.md), as
 * of its update of 2026-08-11 (the AKS 1.35 column, chart repository PR #114), copied into
 * facts.md ("Release currency"). Rows are virtual node builds (the Kubernetes minor version of
 * their binaries), columns AKS minor versions. For pairs the table does not cover, Kubernetes'
 * version-skew policy decides: a kubelet (the virtual node is one) may be up to three minor
 * versions older than the API server, and never newer. `npm run versions` reads the live table
 * and says where this copy differs from it (compatibility-doc.ts).
 */
import { chartLine, compareChartVersions, parseChartVersion, type ChartVersion } from "./chart-version";

/** ✅ tested, ❌ incompatible, ❓ unverified: the table's own marks. */
export type Mark = "✅" | "❌" | "❓";

export interface TableRow {
  /** Kubernetes minor version of the virtual node build. */
  readonly build: number;
  /**
   * One mark per AKS_COLUMNS entry; undefined where this copy does not hold the cell (the
   * version-skew policy decides there).
   */
  readonly marks: readonly (Mark | undefined)[];
  /** A ✅ that holds only from this chart version on, per AKS minor version. */
  readonly testedFrom?: Readonly<Record<number, string>>;
}

export const COMPATIBILITY_TABLE_DATE = "2026-08-11";
const TABLE = `the chart maintainers' compatibility table (${COMPATIBILITY_TABLE_DATE})`;

/** AKS minor versions (1.x) the table has columns for. */
export const AKS_COLUMNS: readonly number[] = [29, 30, 31, 32, 33, 34, 35];

/**
 * The 1.35 column as far as it is known here (facts.md): 1.34 builds tested from 1.3410.26081102
 * on. Its other cells are left to the skew policy.
 */
export const ROWS: readonly TableRow[] = [
  { build: 29, marks: ["✅", "❌", "❌", "❌", "❌", "❌", undefined] },
  { build: 30, marks: ["✅", "✅", "✅", "✅", "❓", "❌", undefined] },
  { build: 32, marks: ["❌", "❌", "❌", "✅", "❓", "❌", undefined] },
  { build: 33, marks: ["❌", "❌", "❌", "✅", "✅", "✅", undefined], testedFrom: { 34: "1.3307.26033004" } },
  { build: 34, marks: ["❌", "❌", "❌", "❓", "✅", "✅", "✅"], testedFrom: { 35: "1.3410.26081102" } },
];

/**
 * The pair the UID2 guide of 2026-07-29 itself deploys: AKS 1.36 with the chart's head, then
 * 1.3408/1.3409 builds (facts.md, "Release currency"). Newer than the table, but documented.
 */
const DOCUMENTED_PAIRS: readonly { readonly aks: number; readonly build: number }[] = [{ aks: 36, build: 34 }];

/** Kubernetes version-skew policy: a kubelet may be at most this many minor versions older than the API server. */
export const MAX_KUBELET_SKEW = 3;

export type Fit =
  | { readonly kind: "tested" }
  | { readonly kind: "documented" }
  | { readonly kind: "untested"; readonly why: string }
  | { readonly kind: "incompatible"; readonly why: string; readonly nearest: string };

/**
 * How a chart version fits a cluster of Kubernetes 1.`aksMinor` (major version 1). Where the
 * table has both the build and the AKS version, its mark decides (it marks some builds tested
 * one minor version ahead of the cluster); beyond the table, the version-skew policy does.
 */
export function assessFit(chart: ChartVersion, aksMinor: number): Fit {
  const build = chart.kubernetesMinor;
  const incompatible = (why: string): Fit => ({ kind: "incompatible", why, nearest: nearestLine(build, aksMinor) });
  if (DOCUMENTED_PAIRS.some((pair) => pair.aks === aksMinor && pair.build === build)) return { kind: "documented" };
  const column = AKS_COLUMNS.indexOf(aksMinor);
  const row = ROWS.find((candidate) => candidate.build === build);
  if (column >= 0 && row !== undefined) {
    const from = row.testedFrom?.[aksMinor];
    switch (row.marks[column]) {
      case "✅":
        if (from !== undefined && compareChartVersions(chart, parseChartVersion(from)!) < 0) {
          return incompatible(`${TABLE} marks 1.${build} builds tested on AKS 1.${aksMinor} only from ${from}`);
        }
        return { kind: "tested" };
      case "❓":
        return { kind: "untested", why: `${TABLE} marks 1.${build} builds on AKS 1.${aksMinor} unverified` };
      case "❌":
        return incompatible(`${TABLE} marks 1.${build} builds incompatible with AKS 1.${aksMinor}`);
    }
  }
  if (build > aksMinor) {
    return incompatible("a virtual node is a kubelet, which may not be newer than the cluster's API server (upgrade the cluster first, then the chart)");
  }
  if (aksMinor - build > MAX_KUBELET_SKEW) {
    return incompatible(`the virtual node's kubelet would be ${aksMinor - build} minor versions older than the API server; Kubernetes allows at most ${MAX_KUBELET_SKEW}`);
  }
  const beyond =
    column < 0
      ? `covers AKS 1.${AKS_COLUMNS[0]} to 1.${AKS_COLUMNS[AKS_COLUMNS.length - 1]}`
      : row === undefined
        ? `has no row for 1.${build} builds`
        : `gives no mark for 1.${build} builds on AKS 1.${aksMinor}`;
  return { kind: "untested", why: `${TABLE} ${beyond}` };
}

/**
 * The chart line closest to `build` that fits AKS 1.`aksMinor`: one the table marks tested, or
 * where the table has no column for that AKS version, one the version-skew policy allows.
 */
function nearestLine(build: number, aksMinor: number): string {
  const column = AKS_COLUMNS.indexOf(aksMinor);
  const candidates =
    column >= 0
      ? ROWS.filter((row) => row.marks[column] === "✅").map((row) => row.build)
      : Array.from({ length: MAX_KUBELET_SKEW + 1 }, (_, i) => aksMinor - i);
  if (candidates.length === 0) return `none: no chart line is tested with AKS 1.${aksMinor}`;
  // Closest first; of two equally close lines, the newer.
  const [best] = [...candidates].sort((a, b) => Math.abs(a - build) - Math.abs(b - build) || b - a);
  const from = ROWS.find((row) => row.build === best)?.testedFrom?.[aksMinor];
  return from === undefined ? chartLine(best) : `${chartLine(best)} from ${from}`;
}
