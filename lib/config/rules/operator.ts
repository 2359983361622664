import { existsSync, statSync } from "fs";
import { projectPath } from "../../project-root";
import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";

const NAMESPACE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function checkOperator(d: DeploymentConfig, report: DeploymentReporter): void {
  const file = projectPath(d.operator.manifestPath);
  if (!existsSync(file) || !statSync(file).isFile()) {
    report.error("operator.manifestPath", d.operator.manifestPath, `must name the release's operator.yaml; no file at ${file}`);
  }
  if (!NAMESPACE.test(d.operator.namespace)) {
    report.error("operator.namespace", d.operator.namespace, "must be a Kubernetes namespace name: 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit");
  }
}
