/** Every semantic rule, run on each merged deployment and then across deployments. */
import type { DeploymentReporter, Problems } from "../problems";
import type { DeploymentConfig, ResourceNames } from "../types";
import { checkCluster } from "./cluster";
import { checkLocation } from "./location";
import { checkMonitoring } from "./monitoring";
import { checkNames } from "./names";
import { addressSpaceRanges, checkNetwork } from "./network";
import { checkOperator, warnAboutTemplates } from "./operator";
import { checkSecrets } from "./secrets";
import { checkStackSelection } from "./stack-selection";
import { checkTags } from "./tags";
import { checkVirtualNode } from "./virtual-node";

export function checkDeployment(d: DeploymentConfig, report: DeploymentReporter): void {
  checkLocation(d, report);
  checkNames(d, report);
  const space = addressSpaceRanges(d, report);
  checkNetwork(d, report, space);
  checkCluster(d, report);
  checkSecrets(d, report);
  checkVirtualNode(d, report);
  checkOperator(d, report);
  checkMonitoring(d, report);
  checkTags(d, report);
}

/**
 * Names that must differ between deployments: each network stack creates its own resource group,
 * and Key Vault names are unique worldwide. Other names live inside the resource group.
 */
const DISTINCT_NAMES: readonly (keyof ResourceNames)[] = ["resourceGroup", "keyVault"];

/** `names`: each entry of `deployments` by its name in file order, valid or not (undefined where it has none). */
export function checkAcrossDeployments(names: readonly (string | undefined)[], deployments: readonly DeploymentConfig[], problems: Problems): void {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === undefined) return;
    const first = seen.get(name);
    if (first !== undefined) {
      problems.errorText(`${name}: name "${name}" is used by deployments[${first}] and deployments[${i}]; deployment names must be unique (they prefix stack ids)`);
    } else {
      seen.set(name, i);
    }
  });
  checkStackSelection(names.filter((name): name is string => name !== undefined), problems);
  warnAboutTemplates(deployments, problems);
  for (const key of DISTINCT_NAMES) {
    const owners = new Map<string, string>();
    for (const d of deployments) {
      // Completed with a suffix of its own subscription and deployment name: distinct by construction.
      if (key === "keyVault" && d.keyVaultSubscriptionSuffix) continue;
      const owner = owners.get(d.names[key]);
      if (owner !== undefined && owner !== d.name) {
        problems.error(d.name, `names.${key}`, d.names[key], `is also used by deployment "${owner}"; each deployment needs its own`);
      }
      owners.set(d.names[key], owner ?? d.name);
    }
  }
}
