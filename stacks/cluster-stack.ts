/**
 * The AKS cluster of one deployment and its kubelet identity's rights, as the guide builds them:
 * "Get the AKS Subnet ID" through "Create Contributor Role for the Two Resource Groups".
 */
import { Construct } from "constructs";
import { Fn, TerraformOutput } from "cdktf";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { KubeletRoles } from "../constructs/kubelet-roles";
import { KubernetesVersionGuard } from "../constructs/kubernetes-version-guard";
import type { ClusterSettings, UpgradeChannel } from "../lib/config/types";
import { DeploymentStack, type DeploymentStackProps } from "./deployment-stack";

/**
 * The autoscaler owns the node count once the cluster exists (facts.md: `--enable-cluster-autoscaler`
 * with `--node-count 2`); without this every plan would scale the pool back to `nodeCount`.
 */
export const AUTOSCALED_NODE_COUNT = "default_node_pool[0].node_count";

/**
 * Channels that move the minor version: the configured version is only where the cluster starts,
 * and a plan must not try to take the cluster back to it (AKS refuses minor downgrades anyway).
 * The `patch` channel keeps the configured `major.minor`, so there the version stays managed.
 */
const MINOR_UPGRADE_CHANNELS: readonly UpgradeChannel[] = ["stable", "rapid"];

export interface ClusterStackProps extends DeploymentStackProps {
  /** The deployment's resource group, from the network stack (config `names.resourceGroup`, default `rg-<prefix>-uid2-<name>`). */
  readonly resourceGroupName: string;
  /** Id of that resource group, from the network stack: the kubelet identity's second role scope. */
  readonly resourceGroupId: string;
  /** Azure region, from the network stack (config `location`). */
  readonly location: string;
  /**
   * The same region as configured (config `location`), for guard messages: the network stack's
   * value is sensitive under the cloud backend, and a message may not read it.
   */
  readonly locationName: string;
  /** The `aks` subnet, from the network stack ("Get the AKS Subnet ID"; config `network.aksSubnet`, default 10.1.0.0/16). */
  readonly aksSubnetId: string;
  /** Config `names.cluster` (default `aks-<prefix>-uid2-<name>`). */
  readonly clusterName: string;
  /** `az aks create` of the guide, flag by flag (config `cluster`, defaults from the guide and facts.md). */
  readonly cluster: ClusterSettings;
  /**
   * Switch on the managed Prometheus add-on (`monitor_metrics`), whose collection rule the
   * monitoring stack associates (config `monitoring.enabled`, default true).
   */
  readonly managedPrometheus: boolean;
}

export class ClusterStack extends DeploymentStack {
  readonly clusterName: string;
  readonly clusterId: string;
  /** The AKS-managed `MC_...` group, where the virtual nodes create the operator's container groups. */
  readonly nodeResourceGroupName: string;
  readonly nodeResourceGroupId: string;
  /** Object (principal) ID of the kubelet identity, the identity the virtual nodes act as. */
  readonly kubeletIdentityObjectId: string;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id, props);
    const c = props.cluster;

    // The guide's note on --kubernetes-version: the region must still offer it. Checked at plan.
    const versionGuard = new KubernetesVersionGuard(this, "kubernetes-version", {
      deployment: props.deployment,
      location: props.location,
      locationName: props.locationName,
      kubernetesVersion: c.kubernetesVersion,
    });

    // "Create an AKS Service".
    const cluster = new KubernetesCluster(this, "cluster", {
      name: props.clusterName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      dnsPrefix: c.dnsPrefix,
      kubernetesVersion: c.kubernetesVersion,
      // The provider accepts patch, rapid, node-image and stable; leaving it out means "none".
      ...(c.upgradeChannel !== "none" ? { automaticUpgradeChannel: c.upgradeChannel } : {}),
      // --enable-managed-identity
      identity: { type: "SystemAssigned" },
      defaultNodePool: {
        name: c.nodePoolName,
        vmSize: c.nodeVmSize,
        osSku: c.osSku,
        vnetSubnetId: props.aksSubnetId,
        nodeCount: c.nodeCount,
        autoScalingEnabled: true,
        minCount: c.minCount,
        maxCount: c.maxCount,
        // Changing the VM size (or the subnet) then cycles the pool through a temporary one
        // instead of replacing the whole cluster.
        temporaryNameForRotation: rotationPoolName(c.nodePoolName),
      },
      // Virtual nodes need Azure CNI (facts.md); the node subnet's addresses are the pods'.
      networkProfile: {
        networkPlugin: "azure",
        networkPolicy: c.networkPolicy,
        serviceCidr: c.serviceCidr,
        dnsServiceIp: c.dnsServiceIp,
      },
      // Azure Monitor managed Prometheus: the add-on's collectors (kube-state-metrics among them) run on the
      // cluster's own nodes; where they send is the monitoring stack's collection rule.
      ...(props.managedPrometheus ? { monitorMetrics: {} } : {}),
      lifecycle: {
        ignoreChanges: [AUTOSCALED_NODE_COUNT, ...(MINOR_UPGRADE_CHANNELS.includes(c.upgradeChannel) ? ["kubernetes_version"] : [])],
        precondition: [versionGuard.precondition],
      },
    });

    // `az aks create --vnet-subnet-id` with a system-assigned identity grants that identity
    // Network Contributor on the subnet once the cluster exists (unless --skip-subnet-role-assignment);
    // Terraform does not, and AKS needs it to manage load balancers and node networking there.
    new RoleAssignment(this, "cluster-subnet-network-contributor", {
      scope: props.aksSubnetId,
      roleDefinitionName: "Network Contributor",
      principalId: cluster.identity.principalId,
      principalType: "ServicePrincipal",
      // The identity was created with the cluster, moments before (see constructs/kubelet-roles.ts).
      skipServicePrincipalAadCheck: true,
    });

    // "Get the Principal ID of the Managed Identity": the guide queries the kubelet identity's
    // clientId, but a role assignment's principal is its object ID (facts.md).
    const kubeletObjectId = cluster.kubeletIdentity.objectId;

    // "Create Contributor Role for the Two Resource Groups".
    new KubeletRoles(this, "kubelet-roles", {
      principalId: kubeletObjectId,
      kubeletRole: c.kubeletRole,
      nodeResourceGroupId: cluster.nodeResourceGroupId,
      deploymentResourceGroupId: props.resourceGroupId,
      // Custom role names are unique in the whole tenant: the hash of the resource group's id
      // (subscription and group) keeps two deployments, even in two subscriptions, apart.
      customRoleName: `uid2-virtual-nodes-${props.clusterName}-${Fn.substr(Fn.sha1(props.resourceGroupId), 0, 8)}`,
    });

    this.clusterName = cluster.name;
    this.clusterId = cluster.id;
    this.nodeResourceGroupName = cluster.nodeResourceGroup;
    this.nodeResourceGroupId = cluster.nodeResourceGroupId;
    this.kubeletIdentityObjectId = kubeletObjectId;

    // Identifiers only: the cluster's credentials (kube_config and its keys) never leave the state.
    new TerraformOutput(this, "cluster_name", { value: cluster.name, description: "Name of the AKS cluster (az aks get-credentials --name)." });
    new TerraformOutput(this, "cluster_id", { value: cluster.id, description: "Resource ID of the AKS cluster." });
    new TerraformOutput(this, "node_resource_group", {
      value: cluster.nodeResourceGroup,
      description: "The AKS node resource group, where the operator's container groups run.",
    });
    new TerraformOutput(this, "kubelet_identity_object_id", {
      value: kubeletObjectId,
      description: "Object ID of the kubelet identity, which holds the virtual nodes' role assignments.",
    });
  }
}

/**
 * Name of the temporary pool used while the default pool is cycled: like a pool name, at most 12
 * lowercase letters and digits, and never the pool's own name.
 */
export function rotationPoolName(pool: string): string {
  const head = pool.slice(0, 9);
  return `${head}tmp` === pool ? `${head}rot` : `${head}tmp`;
}
