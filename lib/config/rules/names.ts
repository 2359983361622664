/**
 * Azure naming rules for each resource the stacks create
 * (learn.microsoft.com, "Naming rules and restrictions for Azure resources").
 */
import type { DeploymentReporter } from "../problems";
import { KEY_VAULT_SUFFIX_LENGTH } from "../defaults";
import type { DeploymentConfig, ResourceNames } from "../types";

interface NamingRule {
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
  /** What is allowed, in words, for the message. */
  readonly allowed: string;
  readonly forbidden?: { readonly pattern: RegExp; readonly reason: string };
}

const ALNUM_ENDS = "start with a letter or digit and end with a letter, digit or underscore";

/** A user-assigned managed identity: the pods' and the Terraform Cloud runs'. */
const MANAGED_IDENTITY: NamingRule = {
  min: 3, max: 128, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
  allowed: "letters, digits, hyphens and underscores, starting with a letter or digit",
};

/** Letters, digits and hyphens between a letter or digit at each end (Azure Monitor and Log Analytics workspaces). */
const alphanumericWithHyphens = (min: number, max: number): NamingRule => ({
  min, max, pattern: /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/,
  allowed: "letters, digits and hyphens, starting and ending with a letter or digit",
});

export const NAMING_RULES: Readonly<Record<keyof ResourceNames, NamingRule>> = {
  resourceGroup: {
    min: 1, max: 90, pattern: /^[A-Za-z0-9_.()-]*[A-Za-z0-9_()-]$/,
    allowed: "letters, digits, underscores, hyphens, periods and parentheses, not ending with a period",
  },
  virtualNetwork: {
    min: 2, max: 64, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9_]$/,
    allowed: `letters, digits, underscores, hyphens and periods; ${ALNUM_ENDS}`,
  },
  publicIp: {
    min: 1, max: 80, pattern: /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/,
    allowed: `letters, digits, underscores, hyphens and periods; ${ALNUM_ENDS}`,
  },
  natGateway: {
    min: 1, max: 80, pattern: /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/,
    allowed: `letters, digits, underscores, hyphens and periods; ${ALNUM_ENDS}`,
  },
  cluster: {
    min: 1, max: 63, pattern: /^[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?$/,
    allowed: "letters, digits, underscores and hyphens, starting and ending with a letter or digit",
  },
  keyVault: {
    min: 3, max: 24, pattern: /^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/,
    allowed: "letters, digits and hyphens, starting with a letter and ending with a letter or digit",
    forbidden: { pattern: /--/, reason: "must not contain consecutive hyphens" },
  },
  operatorKeySecret: {
    min: 1, max: 127, pattern: /^[A-Za-z0-9-]+$/,
    allowed: "letters, digits and hyphens",
  },
  managedIdentity: MANAGED_IDENTITY,
  monitorWorkspace: alphanumericWithHyphens(4, 44),
  actionGroup: {
    min: 1, max: 260, pattern: /^[^/%&\\?<>:*#+.]*[^/%&\\?<>:*#+. ]$/,
    allowed: "any characters but / % & \\ ? < > : * # + and a final period or space",
  },
  applicationInsights: {
    min: 1, max: 260, pattern: /^[^%&\\?/<>:*#]*[^%&\\?/<>:*#. ]$/,
    allowed: "any characters but % & \\ ? / < > : * # and a final period or space",
  },
  tfcIdentity: MANAGED_IDENTITY,
  logAnalyticsWorkspace: alphanumericWithHyphens(4, 63),
};

/** Checks one name against a rule; undefined when it passes, else what is allowed. */
export function namingProblem(rule: NamingRule, name: string): string | undefined {
  if (name.length < rule.min || name.length > rule.max || !rule.pattern.test(name)) {
    return `must be ${rule.min}-${rule.max} characters: ${rule.allowed}`;
  }
  if (rule.forbidden?.pattern.test(name)) return rule.forbidden.reason;
  return undefined;
}

const DEPLOYMENT_NAME = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$|^[a-z]$/;
const NAME_PREFIX = /^([a-z][a-z0-9-]{0,10}[a-z0-9]|[a-z])?$/;

export function checkNames(d: DeploymentConfig, report: DeploymentReporter): void {
  if (!DEPLOYMENT_NAME.test(d.name)) {
    report.error("name", d.name, "must be 1-20 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (it prefixes stack ids and Azure names)");
  }
  if (!NAME_PREFIX.test(d.namePrefix)) {
    report.error("namePrefix", d.namePrefix, "must be empty or 1-12 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen");
  }
  for (const key of Object.keys(NAMING_RULES) as (keyof ResourceNames)[]) {
    const { shown, checked } = nameAsDeployed(d, key);
    const problem = namingProblem(NAMING_RULES[key], checked);
    if (problem) report.error(`names.${key}`, shown, problem);
  }
}

/**
 * A name as it will be deployed: a vault name completed at plan time is checked with a stand-in
 * suffix of the same length, which can be neither a hyphen nor the cause of a problem.
 */
function nameAsDeployed(d: DeploymentConfig, key: keyof ResourceNames): { shown: string; checked: string } {
  const name = d.names[key];
  if (key !== "keyVault" || !d.keyVaultSubscriptionSuffix) return { shown: name, checked: name };
  return { shown: `${name}-<${KEY_VAULT_SUFFIX_LENGTH} hex digits>`, checked: `${name}-${"0".repeat(KEY_VAULT_SUFFIX_LENGTH)}` };
}
