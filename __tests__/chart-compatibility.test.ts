/**
 * The virtual node chart's versions and whether a build fits a cluster (lib/versions), and the
 * configuration rule built on them (lib/config/rules/virtual-node.ts): an incompatible pair stops
 * synthesis, an untested one warns once, the pair UID2 documents passes quietly.
 */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { resolveConfig } from "../lib/config/load";
import { compareChartVersions, parseChartVersion, type ChartVersion } from "../lib/versions/chart-version";
import { assessFit } from "../lib/versions/compatibility";
import { builtInDifferences, parseCompatibilityDoc } from "../lib/versions/compatibility-doc";
import { parseKubernetesVersion } from "../lib/versions/kubernetes-version";
import { chartRepositoryUrlProblem } from "../lib/versions/repository-url";
import { entry, problemsOfDeployment, type Json } from "./support/config";

const chart = (text: string): ChartVersion => parseChartVersion(text)!;

/** Warnings of one deployment built from `overrides`, less the sample manifest's template warning. */
function warningsOf(overrides: Json): readonly string[] {
  return resolveConfig({ deployments: [entry(overrides)] }, "test.json").warnings.filter((warning) => !warning.includes("operator.manifestPath") && !warning.includes(": monitoring "));
}

const withVersions = (kubernetesVersion: string, chartVersion: string): Json => ({ cluster: { kubernetesVersion }, virtualNode: { chartVersion } });

describe("chart versions 1.MMPP.YYMMDDNN", () => {
  it("reads the Kubernetes build and the build date from 1.3409.26080501", () => {
    expect(parseChartVersion("1.3409.26080501")).toEqual({
      text: "1.3409.26080501",
      kubernetesMinor: 34,
      kubernetesPatch: 9,
      kubernetes: "1.34.9",
      built: "2026-08-05",
      buildOfDay: 1,
    });
    expect(chart("1.3012.25060201").kubernetes).toBe("1.30.12");
  });

  it.each(["latest", "1.3409", "1.3409.2608050", "1.3409.260805011", "2.3409.26080501", "1.3409.26080501-rc1", "v1.3409.26080501", "1.3409.26130501", "1.3409.26023001"])(
    "refuses %s: not the chart's version shape, or a date that does not exist",
    (text) => {
      expect(parseChartVersion(text)).toBeUndefined();
    },
  );

  it("orders versions by Kubernetes version, then build date and number, as the chart repository lists them", () => {
    const listed = ["1.3409.26080501", "1.3409.26073001", "1.3408.26072301", "1.3408.26071502", "1.3408.26070201", "1.3406.26062601", "1.3307.26033004", "1.3305.25112102", "1.3208.25082901", "1.3012.25080101", "1.3012.25060201"];
    const shuffled = [...listed].reverse().map(chart);
    expect(shuffled.sort((a, b) => compareChartVersions(b, a)).map((v) => v.text)).toEqual(listed);
  });
});

describe("cluster.kubernetesVersion", () => {
  it("reads major.minor and major.minor.patch", () => {
    expect(parseKubernetesVersion("1.36")).toEqual({ major: 1, minor: 36, minorText: "1.36" });
    expect(parseKubernetesVersion("1.35.4")).toEqual({ major: 1, minor: 35, patch: 4, minorText: "1.35" });
    expect(parseKubernetesVersion("v1.36")).toBeUndefined();
  });
});

describe("the chart maintainers' compatibility table", () => {
  it.each<[string, number, string]>([
    ["1.3012.25060201", 30, "tested"],
    ["1.3012.25060201", 32, "tested"],
    ["1.3409.26080501", 33, "tested"],
    ["1.3409.26080501", 34, "tested"],
    ["1.3307.26033004", 34, "tested"],
    ["1.3208.25082901", 32, "tested"],
    ["1.3012.25060201", 33, "untested"],
    ["1.3409.26080501", 32, "untested"],
    ["1.3012.25060201", 34, "incompatible"],
    ["1.3208.25082901", 31, "incompatible"],
    ["1.3305.25112102", 34, "incompatible"],
  ])("%s on AKS 1.%i is %s", (version, aks, kind) => {
    expect(assessFit(chart(version), aks).kind).toBe(kind);
  });

  it("names the nearest line the table marks tested, with the build it holds from", () => {
    expect(assessFit(chart("1.3012.25060201"), 34)).toEqual({
      kind: "incompatible",
      why: "the chart maintainers' compatibility table (2026-08-11) marks 1.30 builds incompatible with AKS 1.34",
      nearest: "1.33 (chart versions 1.33PP.YYMMDDNN) from 1.3307.26033004",
    });
    expect(assessFit(chart("1.3305.25112102"), 34)).toMatchObject({ why: expect.stringContaining("only from 1.3307.26033004") });
  });
});

describe("beyond the table: the UID2 guide's pair, then Kubernetes' version skew", () => {
  it("passes AKS 1.36 with a 1.34 build quietly: the pair the UID2 guide documents", () => {
    expect(assessFit(chart("1.3409.26080501"), 36)).toEqual({ kind: "documented" });
  });

  it.each<[string, number]>([
    ["1.3409.26080501", 37],
    ["1.3307.26033004", 36],
  ])("calls %s on AKS 1.%i untested: newer than the table, within three minor versions", (version, aks) => {
    expect(assessFit(chart(version), aks)).toEqual({ kind: "untested", why: "the chart maintainers' compatibility table (2026-08-11) covers AKS 1.29 to 1.35" });
  });

  it("holds 1.34 builds to the AKS 1.35 column of 2026-08-11: tested from 1.3410.26081102 on", () => {
    expect(assessFit(chart("1.3410.26081102"), 35)).toEqual({ kind: "tested" });
    expect(assessFit(chart("1.3410.26082101"), 35)).toEqual({ kind: "tested" });
    expect(assessFit(chart("1.3409.26080501"), 35)).toEqual({
      kind: "incompatible",
      why: "the chart maintainers' compatibility table (2026-08-11) marks 1.34 builds tested on AKS 1.35 only from 1.3410.26081102",
      nearest: "1.34 (chart versions 1.34PP.YYMMDDNN) from 1.3410.26081102",
    });
  });

  it("leaves the cells of the 1.35 column that are not known here to the skew policy", () => {
    expect(assessFit(chart("1.3307.26033004"), 35)).toEqual({ kind: "untested", why: "the chart maintainers' compatibility table (2026-08-11) gives no mark for 1.33 builds on AKS 1.35" });
    expect(assessFit(chart("1.3012.25080101"), 35)).toMatchObject({ kind: "incompatible", why: expect.stringContaining("5 minor versions older") });
    expect(assessFit(chart("1.3508.26091601"), 35)).toEqual({ kind: "untested", why: "the chart maintainers' compatibility table (2026-08-11) has no row for 1.35 builds" });
  });

  it("refuses a build more than three minor versions older than the cluster, naming the nearest line the skew allows", () => {
    expect(assessFit(chart("1.3012.25060201"), 36)).toEqual({
      kind: "incompatible",
      why: "the virtual node's kubelet would be 6 minor versions older than the API server; Kubernetes allows at most 3",
      nearest: "1.33 (chart versions 1.33PP.YYMMDDNN)",
    });
  });

  it("refuses a build newer than the cluster where the table has no row for it", () => {
    expect(assessFit(chart("1.3501.26090101"), 34)).toMatchObject({ kind: "incompatible", why: expect.stringContaining("may not be newer than the cluster's API server"), nearest: "1.34 (chart versions 1.34PP.YYMMDDNN)" });
    expect(assessFit(chart("1.3701.26110101"), 36)).toMatchObject({ kind: "incompatible", nearest: "1.36 (chart versions 1.36PP.YYMMDDNN)" });
  });

  it("calls a build the table has no row for untested where the skew allows it", () => {
    expect(assessFit(chart("1.3110.25050101"), 33)).toEqual({ kind: "untested", why: "the chart maintainers' compatibility table (2026-08-11) has no row for 1.31 builds" });
  });
});

describe("configuration: virtualNode.chartVersion against cluster.kubernetesVersion", () => {
  it("accepts the defaults (AKS 1.36, chart 1.3410.26082101) without a warning", () => {
    expect(problemsOfDeployment({})).toEqual([]);
    expect(warningsOf({})).toEqual([]);
  });

  it("refuses the old default chart on the new default cluster, naming both versions and the nearest compatible line", () => {
    expect(problemsOfDeployment({ virtualNode: { chartVersion: "1.3012.25060201" } })).toEqual([
      'integ: virtualNode.chartVersion "1.3012.25060201" (a virtual node build of Kubernetes 1.30.12) with cluster.kubernetesVersion "1.36" is refused: ' +
        "the virtual node's kubelet would be 6 minor versions older than the API server; Kubernetes allows at most 3; nearest compatible chart line: 1.33 (chart versions 1.33PP.YYMMDDNN)",
    ]);
  });

  it("refuses a pair the table marks incompatible", () => {
    expect(problemsOfDeployment(withVersions("1.34", "1.3012.25080101"))).toEqual([
      'integ: virtualNode.chartVersion "1.3012.25080101" (a virtual node build of Kubernetes 1.30.12) with cluster.kubernetesVersion "1.34" is refused: ' +
        "the chart maintainers' compatibility table (2026-08-11) marks 1.30 builds incompatible with AKS 1.34; nearest compatible chart line: 1.33 (chart versions 1.33PP.YYMMDDNN) from 1.3307.26033004",
    ]);
  });

  it("refuses a build newer than the cluster (upgrade the cluster first, then the chart)", () => {
    expect(problemsOfDeployment(withVersions("1.34", "1.3602.26100101"))).toEqual([expect.stringContaining("is refused: a virtual node is a kubelet, which may not be newer than the cluster's API server")]);
  });

  it("warns once about a pair the table marks unverified, and synthesizes", () => {
    const overrides = withVersions("1.33", "1.3012.25080101");
    expect(problemsOfDeployment(overrides)).toEqual([]);
    expect(warningsOf(overrides)).toEqual([
      'integ: virtualNode.chartVersion "1.3012.25080101" (a virtual node build of Kubernetes 1.30.12) with cluster.kubernetesVersion "1.33" is untested: ' +
        "the chart maintainers' compatibility table (2026-08-11) marks 1.30 builds on AKS 1.33 unverified; Kubernetes' version-skew policy allows it. Run npm run versions for the newest chart",
    ]);
  });

  it("warns once about a cluster newer than the table", () => {
    expect(warningsOf({ cluster: { kubernetesVersion: "1.37" } })).toEqual([expect.stringContaining('with cluster.kubernetesVersion "1.37" is untested: the chart maintainers\' compatibility table (2026-08-11) covers AKS 1.29 to 1.35')]);
  });

  it("uses the minor of a patch version", () => {
    expect(problemsOfDeployment({ cluster: { kubernetesVersion: "1.38.1", upgradeChannel: "stable" } })).toEqual([expect.stringContaining("4 minor versions older than the API server")]);
  });

  it("refuses a malformed chart version without judging its fit", () => {
    expect(problemsOfDeployment({ virtualNode: { chartVersion: "1.34.9" } })).toEqual([
      'integ: virtualNode.chartVersion "1.34.9" must be a chart version 1.MMPP.YYMMDDNN such as "1.3409.26080501" (Kubernetes 1.34.9, built 2026-08-05, build 01 of that day)',
    ]);
  });

  it("skips the check for a local chart, with a note, even for a chart version that would be refused", () => {
    const chartDir = mkdtempSync(path.join(tmpdir(), "uid2-chart-"));
    writeFileSync(path.join(chartDir, "Chart.yaml"), "name: virtualnode\nversion: 1.0.0\n");
    const overrides = { virtualNode: { chartPath: chartDir, chartVersion: "1.3012.25060201" } };
    expect(problemsOfDeployment(overrides)).toEqual([]);
    expect(warningsOf(overrides)).toEqual([
      `integ: virtualNode.chartPath ${JSON.stringify(chartDir)} is a local chart: its Kubernetes build is not known, so whether it fits cluster.kubernetesVersion is not checked`,
    ]);
  });
});

describe("virtualNode.repository", () => {
  it.each(["https://microsoft.github.io/virtualnodesOnAzureContainerInstances/", "http://127.0.0.1:8080/charts/", "http://[::1]:8080/", "http://localhost/"])("accepts %s", (url) => {
    expect(chartRepositoryUrlProblem(url)).toBeUndefined();
  });

  it.each([
    ["http://example.com/charts", "must be an https:// URL"],
    ["http://10.0.0.5/", "must be an https:// URL"],
    ["ftp://127.0.0.1/", "must be an https:// URL"],
    ["microsoft.github.io/charts", "is not a URL"],
  ])("refuses %s", (url, problem) => {
    expect(chartRepositoryUrlProblem(url)).toMatch(new RegExp(`^${problem}`));
    expect(problemsOfDeployment({ virtualNode: { repository: url } })).toEqual([expect.stringContaining(`integ: virtualNode.repository "${url}" ${problem}`)]);
  });
});

describe("the maintainers' live table, read from its Markdown page", () => {
  // GIVEN a page in the maintainers' format: marks, a starred cell and its escaped footnote
  const page = (extraColumn: boolean): string =>
    [
      "## virtual node version compatibility with AKS versions",
      "",
      `| Virtual Node Version | AKS 1.33 | AKS 1.34 | AKS 1.35 |${extraColumn ? " AKS 1.36 |" : ""}`,
      `|---|---|---|---|${extraColumn ? "---|" : ""}`,
      `| 1.33 | ✅ | ✅* |  |${extraColumn ? "  |" : ""}`,
      `| 1.34 | ✅ | ✅ | ✅** |${extraColumn ? " ✅ |" : ""}`,
      "",
      "\\* VN2 1.3307.26033004 and higher compatible with AKS 1.34",
      "\\*\\* VN2 1.3410.26081102 and higher compatible with AKS 1.35",
    ].join("\n");

  it("reads columns, marks and the build a footnote names", () => {
    const doc = parseCompatibilityDoc(page(false), "https://example.test/table.md")!;
    expect(doc.columns).toEqual([33, 34, 35]);
    expect(doc.rows.get(33)!.get(34)).toEqual({ mark: "✅", from: "1.3307.26033004" });
    expect(doc.rows.get(33)!.has(35)).toBe(false);
    expect(doc.rows.get(34)!.get(35)).toEqual({ mark: "✅", from: "1.3410.26081102" });
  });

  it("finds nothing to report where the page agrees with the built-in copy", () => {
    expect(builtInDifferences(parseCompatibilityDoc(page(false), "u")!)).toEqual([]);
  });

  it("names a column the built-in copy lacks", () => {
    expect(builtInDifferences(parseCompatibilityDoc(page(true), "u")!)).toEqual(["columns for AKS 1.36"]);
  });

  it.each([
    ["no table", "# Version Compatibility\n\nSee the release notes."],
    ["a table without AKS columns", "| a | b |\n|---|---|\n| 1 | 2 |"],
    ["a header without rows", "| Virtual Node Version | AKS 1.35 |\n|---|---|\n"],
  ])("reads no table from a page with %s", (_case, text) => {
    expect(parseCompatibilityDoc(text, "u")).toBeUndefined();
  });
});
