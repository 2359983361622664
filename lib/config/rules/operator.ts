import { existsSync } from "fs";
import { projectPath } from "../../project-root";
import type { DeploymentReporter, Problems } from "../problems";
import type { DeploymentConfig } from "../types";
import { checkExposure } from "./exposure";
import { ManifestError } from "../../manifest/errors";
import { refusedKindReason, unlistedKindProblems } from "../../manifest/kinds";
import { remainingTemplatePlaceholders } from "../../manifest/placeholders";
import { readReleaseManifestOnce } from "../../manifest/read";
import { serviceReachabilityProblems } from "../../manifest/exposure";
import { foreignNamespaceProblems } from "../../manifest/namespace";

/**
 * Refuses a file that cannot be deployed as released, that holds kinds this deployment does not
 * allow (the operator's own and `operator.extraKinds`), writes into another namespace, or opens
 * the operator to more than `operator.exposure` says.
 */
function checkReleaseManifest(d: DeploymentConfig, report: DeploymentReporter, file: string): void {
  let problems: readonly string[];
  try {
    const { documents } = readReleaseManifestOnce(file);
    problems = [
      ...unlistedKindProblems(file, documents, d.operator.extraKinds),
      ...foreignNamespaceProblems(file, documents, d.operator.namespace),
      ...serviceReachabilityProblems(file, documents, d.operator.exposure),
    ];
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    problems = error.problems;
  }
  for (const problem of problems) {
    report.error("operator.manifestPath", d.operator.manifestPath, `is not a usable release manifest: ${problem}`);
  }
}

/** Kubernetes kinds are CamelCase words. */
const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;

function checkExtraKinds(d: DeploymentConfig, report: DeploymentReporter): void {
  d.operator.extraKinds.forEach((kind, i) => {
    const path = `operator.extraKinds[${i}]`;
    const refused = refusedKindReason(kind);
    if (refused !== undefined) report.error(path, kind, `cannot be allowed: ${refused}`);
    else if (!KIND.test(kind)) report.error(path, kind, "must be a Kubernetes kind such as Role or CronJob (a capitalized word of letters and digits)");
  });
}

const NAMESPACE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function checkOperator(d: DeploymentConfig, report: DeploymentReporter): void {
  const file = projectPath(d.operator.manifestPath);
  if (!existsSync(file)) {
    report.error("operator.manifestPath", d.operator.manifestPath, `must name the release's operator.yaml; no file at ${file}`);
  } else {
    checkReleaseManifest(d, report, file);
  }
  checkExtraKinds(d, report);
  checkExposure(d, report);
  if (!NAMESPACE.test(d.operator.namespace)) {
    report.error("operator.namespace", d.operator.namespace, "must be a Kubernetes namespace name: 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit");
  }
}

/**
 * Warns, once per file, when deployments use a template (the sample) rather than a release:
 * synthesis and review work, a deploy stops at plan.
 */
export function warnAboutTemplates(deployments: readonly DeploymentConfig[], problems: Problems): void {
  const users = new Map<string, DeploymentConfig[]>();
  for (const d of deployments) users.set(d.operator.manifestPath, [...(users.get(d.operator.manifestPath) ?? []), d]);
  for (const [configured, ds] of users) {
    const file = projectPath(configured);
    if (!existsSync(file)) continue;
    let remaining: string[];
    try {
      remaining = remainingTemplatePlaceholders(readReleaseManifestOnce(file));
    } catch {
      continue;
    }
    if (remaining.length === 0) continue;
    const which = remaining.length === 1 ? `${remaining[0]} remains` : `${remaining.join(" and ")} remain`;
    problems.warn(ds.map((d) => d.name).join(", "), "operator.manifestPath", configured, `is a template (${which}): synthesis works, but a deploy stops at plan; point it at the release's operator.yaml`);
  }
}
