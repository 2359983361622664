/**
 * Built-in defaults: the values the guide uses, filled in once, here. Names are derived per
 * deployment so that several deployments never collide.
 */
import { createHash } from "crypto";
import type { Environment, ResourceNames } from "./types";
import type { Settings } from "./schema";

/**
 * Newest 1.34 build of the virtual node chart, published 2026-08-21 (facts.md, "Release
 * currency", builds through 2026-09-16): Kubernetes 1.34.10 binaries, the line the UID2 guide of
 * 2026-07-29 installs on AKS 1.36, and the one the maintainers' table of 2026-08-11 marks tested on
 * AKS 1.35 (from 1.3410.26081102). The 1.35 builds since are in no row of that table yet.
 * Kubernetes 1.34 left upstream support on 2026-10-27: `npm run versions` says so, and when a
 * newer line is marked tested.
 */
export const VIRTUAL_NODE_CHART_VERSION = "1.3410.26082101";
/**
 * The UID2 guide's `az aks create --kubernetes-version` as of its 2026-07-29 revision (facts.md,
 * "The guide"). AKS supports 1.36 until June 2027 (facts.md, "Release currency"); with the patch
 * channel only major.minor is stable. `npm run versions` says when the region stops offering it.
 */
export const KUBERNETES_VERSION = "1.36";
export const VIRTUAL_NODE_CHART_REPOSITORY = "https://microsoft.github.io/virtualnodesOnAzureContainerInstances/";
export const SAMPLE_MANIFEST_PATH = "operator/sample-operator.yaml";

/** Key Vault names are global and at most 24 characters (rules/names.ts). */
const KEY_VAULT_MAX = 24;

/**
 * Hex digits that complete a default vault name at plan time when no `namePrefix` is set, derived
 * from the subscription id and the deployment name (stacks/secrets-stack.ts): Key Vault names are
 * global, and without a prefix every fresh clone would otherwise ask for `kv-uid2-<name>`.
 */
export const KEY_VAULT_SUFFIX_LENGTH = 6;

/** Settings every deployment starts from, before `defaults` and its own entry are merged over. */
export function builtInSettings(environment: Environment): Required<Omit<Settings, "names">> {
  return {
    namePrefix: "",
    network: {
      addressSpace: ["10.0.0.0/8"],
      defaultSubnet: "10.0.0.0/24",
      aksSubnet: "10.1.0.0/16",
      containerGroupSubnet: "10.2.0.0/16",
      natIdleTimeoutMinutes: 4,
    },
    cluster: {
      kubernetesVersion: KUBERNETES_VERSION,
      upgradeChannel: "patch",
      nodeVmSize: "Standard_D4d_v5",
      nodeCount: 2,
      minCount: 2,
      maxCount: 5,
      nodePoolName: "oprnodepool",
      osSku: "Ubuntu",
      networkPolicy: "calico",
      serviceCidr: "10.4.0.0/16",
      dnsServiceIp: "10.4.0.10",
      kubeletRole: "Contributor",
    },
    secrets: {
      manageOperatorKey: true,
      operatorKeyVersion: 1,
      softDeleteRetentionDays: 90,
      protect: environment === "prod",
      rbacPropagationSeconds: 120,
      restrictNetwork: false,
      allowedIps: [],
    },
    virtualNode: {
      chartVersion: VIRTUAL_NODE_CHART_VERSION,
      repository: VIRTUAL_NODE_CHART_REPOSITORY,
    },
    operator: {
      manifestPath: SAMPLE_MANIFEST_PATH,
      namespace: "default",
      extraKinds: [],
      // The guide's Service: a public load balancer.
      exposure: "public",
      allowedSourceRanges: [],
    },
    monitoring: {
      enabled: true,
      alertEmails: [],
      unreadyMinutes: 5,
      restartThreshold: 3,
      saltMaxAgeHours: 48,
      storeRefreshFailureMinutes: 30,
      availabilityFailedLocations: 2,
    },
    backend: { type: "local" },
    tags: {},
  };
}

/**
 * Default Azure names: `<kind>-<namePrefix>-uid2-<name>`, e.g. `rg-uid2-integ` or
 * `aks-acme-uid2-prod`. A Key Vault name longer than 24 characters is shortened and given a
 * hash of the full name, so two long deployment names still get distinct vaults. Without a
 * `namePrefix` the vault name is the start of the name only, short enough for the plan-time
 * suffix (KEY_VAULT_SUFFIX_LENGTH) and its hyphen.
 */
export function defaultNames(namePrefix: string, name: string): ResourceNames {
  const base = [namePrefix, "uid2", name].filter((part) => part !== "").join("-");
  return {
    resourceGroup: `rg-${base}`,
    virtualNetwork: `vnet-${base}`,
    publicIp: `pip-${base}-nat`,
    natGateway: `ng-${base}`,
    cluster: `aks-${base}`,
    keyVault: fitKeyVaultName(`kv-${base}`, namePrefix === "" ? KEY_VAULT_MAX - KEY_VAULT_SUFFIX_LENGTH - 1 : KEY_VAULT_MAX),
    operatorKeySecret: "uid2-operator-key",
    managedIdentity: `id-${base}-operator`,
    monitorWorkspace: `amw-${base}`,
    actionGroup: `ag-${base}`,
    applicationInsights: `appi-${base}`,
    logAnalyticsWorkspace: `log-${base}`,
    tfcIdentity: `id-${base}-tfc`,
  };
}

function fitKeyVaultName(full: string, max: number): string {
  if (full.length <= max) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 6);
  const head = full.slice(0, max - hash.length - 1).replace(/-+$/, "");
  return `${head}-${hash}`;
}
