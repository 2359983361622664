/**
 * The shape of `config/deployments.json`, checked with zod before anything else runs.
 *
 * Every object is strict, so a misspelt key is an error rather than a silently ignored setting.
 * Settings are all optional here: a deployment inherits what it leaves out from `defaults` and
 * from the built-in defaults (see defaults.ts). Rules that need the merged values (CIDR overlap,
 * Azure naming, backend requirements) live in rules/.
 */
import { z } from "zod";
import { hasTemplateSequence } from "../terraform-template";

/**
 * Terraform reads every string of its JSON as a template: `${...}` and `%{...}` in a setting
 * would be evaluated at plan time (`${file("/etc/passwd")}`). No setting needs them, so strings
 * are refused with them; the few free-text values (tags, file paths) are escaped where they are
 * written into the JSON instead (lib/terraform-template.ts), and use `freeText`.
 */
const NO_TEMPLATE = "must not contain ${ or %{: Terraform would evaluate it as a template expression";
const plain = z.string().refine((value) => !hasTemplateSequence(value), NO_TEMPLATE);
const text = plain.min(1, "must not be empty");
const freeText = z.string().min(1, "must not be empty");
const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const ENVIRONMENTS = ["integ", "prod"] as const;
export const UPGRADE_CHANNELS = ["none", "patch", "stable", "rapid", "node-image"] as const;
export const OS_SKUS = ["Ubuntu", "Ubuntu2204", "Ubuntu2404", "AzureLinux", "AzureLinux3"] as const;
export const NETWORK_POLICIES = ["calico", "azure"] as const;
export const KUBELET_ROLES = ["Contributor", "least-privilege"] as const;
export const BACKEND_TYPES = ["local", "cloud", "azurerm"] as const;
export const EXPOSURES = ["public", "restricted", "internal"] as const;

const names = z.strictObject({
  resourceGroup: text,
  virtualNetwork: text,
  publicIp: text,
  natGateway: text,
  cluster: text,
  keyVault: text,
  operatorKeySecret: text,
  managedIdentity: text,
  monitorWorkspace: text,
  actionGroup: text,
  applicationInsights: text,
  logAnalyticsWorkspace: text,
  tfcIdentity: text,
});

const network = z.strictObject({
  addressSpace: z.array(text).min(1, "must list at least one CIDR"),
  defaultSubnet: text,
  aksSubnet: text,
  containerGroupSubnet: text,
  natIdleTimeoutMinutes: int(4, 120),
});

const cluster = z.strictObject({
  kubernetesVersion: text,
  upgradeChannel: z.enum(UPGRADE_CHANNELS),
  nodeVmSize: text,
  nodeCount: int(1, 1000),
  minCount: int(1, 1000),
  maxCount: int(1, 1000),
  nodePoolName: text,
  osSku: z.enum(OS_SKUS),
  networkPolicy: z.enum(NETWORK_POLICIES),
  serviceCidr: text,
  dnsServiceIp: text,
  kubeletRole: z.enum(KUBELET_ROLES),
  dnsPrefix: text,
});

const secrets = z.strictObject({
  manageOperatorKey: z.boolean(),
  operatorKeyVersion: int(1, Number.MAX_SAFE_INTEGER),
  softDeleteRetentionDays: int(7, 90),
  protect: z.boolean(),
  rbacPropagationSeconds: int(0, 1800),
  restrictNetwork: z.boolean(),
  allowedIps: z.array(text),
});

const virtualNode = z.strictObject({
  chartVersion: text,
  repository: text,
  chartPath: freeText,
});

const operator = z.strictObject({
  manifestPath: freeText,
  namespace: text,
  extraKinds: z.array(text),
  exposure: z.enum(EXPOSURES),
  allowedSourceRanges: z.array(text),
});

const monitoring = z.strictObject({
  enabled: z.boolean(),
  alertEmails: z.array(text),
  actionGroupId: text,
  unreadyMinutes: int(1, 60),
  restartThreshold: int(1, 100),
  saltMaxAgeHours: int(1, 168),
  storeRefreshFailureMinutes: int(5, 1440),
  availabilityFailedLocations: int(1, 5),
});

/** Backend keys are checked per type once merged (rules/backend.ts): here only their types. */
const backend = z.strictObject({
  type: z.enum(BACKEND_TYPES),
  organization: text,
  workspacePrefix: plain,
  hostname: text,
  project: text,
  executionMode: z.enum(["remote", "local"]),
  resourceGroupName: text,
  storageAccountName: text,
  containerName: text,
  subscriptionId: text,
});

/** Settings that may appear both in `defaults` and in a deployment. */
export const settingsShape = {
  namePrefix: plain,
  names: names.partial(),
  network: network.partial(),
  cluster: cluster.partial(),
  secrets: secrets.partial(),
  virtualNode: virtualNode.partial(),
  operator: operator.partial(),
  monitoring: monitoring.partial(),
  backend: backend.partial(),
  tags: z.record(z.string(), z.string()),
};

const settings = z.strictObject(settingsShape).partial();

export const deploymentSchema = settings.extend({
  name: text,
  environment: z.enum(ENVIRONMENTS),
  location: text,
});

export const configFileSchema = z.strictObject({
  $schema: plain.optional(),
  defaults: settings.optional(),
  deployments: z.array(deploymentSchema).min(1, "must list at least one deployment"),
});

export type ConfigFile = z.infer<typeof configFileSchema>;
export type Settings = z.infer<typeof settings>;
export type DeploymentEntry = z.infer<typeof deploymentSchema>;
