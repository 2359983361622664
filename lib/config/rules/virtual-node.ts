import { existsSync } from "fs";
import * as path from "path";
import { projectPath } from "../../project-root";
import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";

const CHART_VERSION = /^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

export function checkVirtualNode(d: DeploymentConfig, report: DeploymentReporter): void {
  const v = d.virtualNode;
  if (!CHART_VERSION.test(v.chartVersion)) {
    report.error("virtualNode.chartVersion", v.chartVersion, 'must be a chart version such as "1.3012.25060201"');
  }
  if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(v.repository)) {
    report.error("virtualNode.repository", v.repository, "must be an https:// URL of a Helm chart repository");
  }
  if (v.chartPath !== undefined && !existsSync(path.join(projectPath(v.chartPath), "Chart.yaml"))) {
    report.error("virtualNode.chartPath", v.chartPath, `must be a chart directory holding Chart.yaml (resolved to ${projectPath(v.chartPath)})`);
  }
}
