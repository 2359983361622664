/**
 * A deployment's configuration once merged and validated: every value present and trusted.
 * Built-in defaults are in defaults.ts; the README documents each key.
 */
import type { BACKEND_TYPES, ENVIRONMENTS, EXPOSURES, KUBELET_ROLES, NETWORK_POLICIES, OS_SKUS, UPGRADE_CHANNELS } from "./schema";

export type Environment = (typeof ENVIRONMENTS)[number];
export type UpgradeChannel = (typeof UPGRADE_CHANNELS)[number];
export type OsSku = (typeof OS_SKUS)[number];
export type NetworkPolicy = (typeof NETWORK_POLICIES)[number];
export type KubeletRole = (typeof KUBELET_ROLES)[number];
export type BackendType = (typeof BACKEND_TYPES)[number];
export type Exposure = (typeof EXPOSURES)[number];

/** Azure resource names; each defaults to one derived from `namePrefix` and the deployment name. */
export interface ResourceNames {
  readonly resourceGroup: string;
  readonly virtualNetwork: string;
  readonly publicIp: string;
  readonly natGateway: string;
  readonly cluster: string;
  readonly keyVault: string;
  readonly operatorKeySecret: string;
  readonly managedIdentity: string;
  /** Azure Monitor workspace of the cluster's Prometheus metrics (monitoring stack). */
  readonly monitorWorkspace: string;
  /** Action group of the deployment's alerts, when `monitoring.alertEmails` lists receivers. */
  readonly actionGroup: string;
  /** Application Insights resource of the availability test (exposure `public`). */
  readonly applicationInsights: string;
  /** Log Analytics workspace behind Application Insights (exposure `public`). */
  readonly logAnalyticsWorkspace: string;
  /** The identity Terraform Cloud's remote runs act as (the cloud backend's bootstrap stack). */
  readonly tfcIdentity: string;
}

/** The guide's address plan ("Create Virtual Network", "Create Subnets", "Create NAT Gateway"). */
export interface NetworkSettings {
  /** VNet address space. @default ["10.0.0.0/8"] */
  readonly addressSpace: readonly string[];
  /** The `default` subnet. @default "10.0.0.0/24" */
  readonly defaultSubnet: string;
  /** The `aks` subnet, for the cluster's nodes. @default "10.1.0.0/16" */
  readonly aksSubnet: string;
  /** The `cg` subnet, delegated to container groups (the virtual nodes' pods). @default "10.2.0.0/16" */
  readonly containerGroupSubnet: string;
  /** NAT gateway idle timeout. @default 4 */
  readonly natIdleTimeoutMinutes: number;
}

/** `az aks create` of the guide, flag by flag. */
export interface ClusterSettings {
  /** `major.minor` with the patch channel; checked against what AKS offers at plan. @default "1.36" */
  readonly kubernetesVersion: string;
  /** @default "patch" */
  readonly upgradeChannel: UpgradeChannel;
  /** At least 4 vCPU / 16 GB: each virtual node takes 3 cores and 12 GB. @default "Standard_D4d_v5" */
  readonly nodeVmSize: string;
  /** Initial node count; the autoscaler owns it afterwards. @default 2 */
  readonly nodeCount: number;
  /** @default 2 */
  readonly minCount: number;
  /** @default 5 */
  readonly maxCount: number;
  /** @default "oprnodepool" */
  readonly nodePoolName: string;
  /** @default "Ubuntu" */
  readonly osSku: OsSku;
  /** @default "calico" */
  readonly networkPolicy: NetworkPolicy;
  /** @default "10.4.0.0/16" */
  readonly serviceCidr: string;
  /** @default "10.4.0.10" */
  readonly dnsServiceIp: string;
  /** Role of the kubelet identity on the two resource groups. @default "Contributor" */
  readonly kubeletRole: KubeletRole;
  /** DNS prefix of the API server. @default the cluster name */
  readonly dnsPrefix: string;
}

/** Key Vault and operator key ("Complete Key Vault and Managed Identity Setup"). */
export interface SecretsSettings {
  /** Write the operator key from the `operator_key` variable; false: you set it yourself. @default true */
  readonly manageOperatorKey: boolean;
  /** Bump to write a new operator key (the secret's `value_wo_version`). @default 1 */
  readonly operatorKeyVersion: number;
  /** @default 90 */
  readonly softDeleteRetentionDays: number;
  /** `prevent_destroy` on the vault. @default true for prod, false for integ */
  readonly protect: boolean;
  /** Wait after granting the deployer "Key Vault Secrets Officer", for RBAC to propagate. @default 120 */
  readonly rbacPropagationSeconds: number;
  /** Deny vault traffic except from the `cg` subnet and `allowedIps`. @default false */
  readonly restrictNetwork: boolean;
  /** CIDRs allowed through when `restrictNetwork` is on (for the deployer). @default [] */
  readonly allowedIps: readonly string[];
}

/** The virtual-node Helm chart ("Set Up AKS Cluster"). */
export interface VirtualNodeSettings {
  /** `1.MMPP.YYMMDDNN`: its Kubernetes build must fit `cluster.kubernetesVersion`. @default "1.3410.26082101" */
  readonly chartVersion: string;
  /** HTTPS (HTTP only to this machine). @default "https://microsoft.github.io/virtualnodesOnAzureContainerInstances/" */
  readonly repository: string;
  /** A local chart directory (the guide's git clone) used instead of the repository. @default unset */
  readonly chartPath?: string;
}

/** The UID2 release's `operator.yaml` ("Complete the UID2 Private Operator Setup"). */
export interface OperatorSettings {
  /** Relative to the project root, or absolute. @default "operator/sample-operator.yaml" */
  readonly manifestPath: string;
  /** @default "default" */
  readonly namespace: string;
  /** Kinds the release may hold beyond the operator's own (lib/manifest/kinds.ts); never Secret or cluster RBAC. @default [] */
  readonly extraKinds: readonly string[];
  /**
   * Who can reach the operator's Service: `public` (the guide's public load balancer), `restricted`
   * (public, only from `allowedSourceRanges`) or `internal` (a private address in the VNet). @default "public"
   */
  readonly exposure: Exposure;
  /** Source CIDRs allowed to reach the Service with `exposure` "restricted". @default [] */
  readonly allowedSourceRanges: readonly string[];
}

/** Metrics, alerts and who is told (docs/operations.md). */
export interface MonitoringSettings {
  /** A `<name>-monitoring` stack: managed Prometheus, alerts, an availability test. @default true */
  readonly enabled: boolean;
  /** E-mail receivers of every alert, in an action group of the deployment. @default [] */
  readonly alertEmails: readonly string[];
  /** Resource id of an existing action group that also (or instead) receives every alert. @default unset */
  readonly actionGroupId?: string;
  /** Minutes with fewer ready operator replicas than desired before the alert fires. @default 5 */
  readonly unreadyMinutes: number;
  /** Operator container restarts within 30 minutes that fire the restart alert. @default 3 */
  readonly restartThreshold: number;
  /** Hours since the newest salt the operator holds was updated before the salts count as stale. @default 48 */
  readonly saltMaxAgeHours: number;
  /** Minutes a store (salts, keys, ...) may fail to refresh before the alert fires. @default 30 */
  readonly storeRefreshFailureMinutes: number;
  /** Test locations that must fail at once for the availability alert (of 5). @default 2 */
  readonly availabilityFailedLocations: number;
}

export interface LocalBackendSettings {
  readonly type: "local";
}

export interface CloudBackendSettings {
  readonly type: "cloud";
  readonly organization: string;
  /** Prepended to the stack id to name each stack's workspace. @default "" */
  readonly workspacePrefix: string;
  /** @default "app.terraform.io" */
  readonly hostname: string;
  /** Terraform Cloud project of the workspaces. @default unset (the organization's default) */
  readonly project?: string;
  /**
   * Where the workspaces' runs execute: `remote` (Terraform Cloud's agents, with the bootstrap's
   * Azure credentials) or `local` (your machine, your `az login`). @default "remote"
   */
  readonly executionMode: "remote" | "local";
}

export interface AzurermBackendSettings {
  readonly type: "azurerm";
  readonly resourceGroupName: string;
  readonly storageAccountName: string;
  readonly containerName: string;
  /** Subscription of the storage account. @default the provider's */
  readonly subscriptionId?: string;
}

export type BackendSettings = LocalBackendSettings | CloudBackendSettings | AzurermBackendSettings;

/** One deployment of the operator: stacks named `<name>-network|cluster|secrets|operator|monitoring` (monitoring unless disabled). */
export interface DeploymentConfig {
  readonly name: string;
  readonly environment: Environment;
  readonly location: string;
  readonly namePrefix: string;
  readonly names: ResourceNames;
  /**
   * True when `names.keyVault` is only the start of the vault's name, which Terraform completes
   * with `-<6 hex digits>` derived from the subscription id and the deployment name: the case
   * when neither `namePrefix` nor `names.keyVault` is set, since Key Vault names are global.
   */
  readonly keyVaultSubscriptionSuffix: boolean;
  readonly network: NetworkSettings;
  readonly cluster: ClusterSettings;
  readonly secrets: SecretsSettings;
  readonly virtualNode: VirtualNodeSettings;
  readonly operator: OperatorSettings;
  readonly monitoring: MonitoringSettings;
  readonly backend: BackendSettings;
  /** Applied to every taggable resource, beside `environment`, `deployment` and `managed-by`. */
  readonly tags: Readonly<Record<string, string>>;
}
