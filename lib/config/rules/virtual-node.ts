import { existsSync } from "fs";
import * as path from "path";
import { projectPath } from "../../project-root";
import { parseChartVersion, type ChartVersion } from "../../versions/chart-version";
import { assessFit } from "../../versions/compatibility";
import { parseKubernetesVersion } from "../../versions/kubernetes-version";
import { chartRepositoryUrlProblem, redactedUrl } from "../../versions/repository-url";
import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";

/** The virtual-node chart ("Set Up AKS Cluster"), and whether its build fits the cluster. */
export function checkVirtualNode(d: DeploymentConfig, report: DeploymentReporter): void {
  const v = d.virtualNode;
  const chart = parseChartVersion(v.chartVersion);
  if (chart === undefined) {
    report.error(
      "virtualNode.chartVersion",
      v.chartVersion,
      'must be a chart version 1.MMPP.YYMMDDNN such as "1.3409.26080501" (Kubernetes 1.34.9, built 2026-08-05, build 01 of that day)',
    );
  }
  const repositoryProblem = chartRepositoryUrlProblem(v.repository);
  if (repositoryProblem !== undefined) report.error("virtualNode.repository", redactedUrl(v.repository), repositoryProblem);
  if (v.chartPath !== undefined) {
    if (!existsSync(path.join(projectPath(v.chartPath), "Chart.yaml"))) {
      report.error("virtualNode.chartPath", v.chartPath, `must be a chart directory holding Chart.yaml (resolved to ${projectPath(v.chartPath)})`);
    } else {
      report.warn("virtualNode.chartPath", v.chartPath, "is a local chart: its Kubernetes build is not known, so whether it fits cluster.kubernetesVersion is not checked");
    }
  } else if (chart !== undefined) {
    checkFit(d, chart, report);
  }
}

/**
 * The chart maintainers' compatibility table and Kubernetes' version-skew policy
 * (lib/versions/compatibility.ts): a refused pair stops synthesis, an untested one is a warning.
 */
function checkFit(d: DeploymentConfig, chart: ChartVersion, report: DeploymentReporter): void {
  const cluster = parseKubernetesVersion(d.cluster.kubernetesVersion);
  // A malformed version is the cluster rule's to report; Kubernetes has had no other major version.
  if (cluster === undefined || cluster.major !== 1) return;
  const fit = assessFit(chart, cluster.minor);
  const pair = `(a virtual node build of Kubernetes ${chart.kubernetes}) with cluster.kubernetesVersion "${d.cluster.kubernetesVersion}"`;
  if (fit.kind === "incompatible") {
    report.error("virtualNode.chartVersion", chart.text, `${pair} is refused: ${fit.why}; nearest compatible chart line: ${fit.nearest}`);
  } else if (fit.kind === "untested") {
    report.warn("virtualNode.chartVersion", chart.text, `${pair} is untested: ${fit.why}; Kubernetes' version-skew policy allows it. Run npm run versions for the newest chart`);
  }
}
