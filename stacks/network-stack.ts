/**
 * The network of one deployment, as the guide builds it: "Create Resource Group" through
 * "Configure NAT Service for Source Subnet".
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { NatGateway } from "@cdktf/provider-azurerm/lib/nat-gateway";
import { NatGatewayPublicIpAssociation } from "@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNatGatewayAssociation } from "@cdktf/provider-azurerm/lib/subnet-nat-gateway-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { KubernetesVersionGuard } from "../constructs/kubernetes-version-guard";
import type { NetworkSettings } from "../lib/config/types";
import { EGRESS_HOSTS, EGRESS_PORT } from "../lib/egress-hosts";
import { DeploymentStack, type DeploymentStackProps } from "./deployment-stack";

/** Subnet names are fixed: the virtual-node chart's `aciSubnetName` defaults to `cg`. */
export const SUBNET_NAMES = { default: "default", aks: "aks", containerGroups: "cg" } as const;

/** Container groups (the virtual nodes' pods) are placed in the `cg` subnet through this delegation. */
export const CONTAINER_GROUP_DELEGATION = "Microsoft.ContainerInstance/containerGroups";

export interface NetworkStackProps extends DeploymentStackProps {
  /** Azure region of every resource (config `location`). */
  readonly location: string;
  /** Config `names.resourceGroup` (default `rg-<prefix>-uid2-<name>`). */
  readonly resourceGroupName: string;
  /** Config `names.virtualNetwork` (default `vnet-<prefix>-uid2-<name>`). */
  readonly virtualNetworkName: string;
  /** Config `names.publicIp` (default `pip-<prefix>-uid2-<name>-nat`). */
  readonly publicIpName: string;
  /** Config `names.natGateway` (default `ng-<prefix>-uid2-<name>`). */
  readonly natGatewayName: string;
  /** Address plan and NAT idle timeout (config `network`, defaults from the guide). */
  readonly network: NetworkSettings;
  /** Add the `Microsoft.KeyVault` service endpoint to `cg`, for a network-restricted vault (config `secrets.restrictNetwork`, default false). */
  readonly keyVaultServiceEndpoint: boolean;
  /** The cluster's Kubernetes version (config `cluster.kubernetesVersion`, default 1.36), checked against the region before anything is created. */
  readonly kubernetesVersion: string;
}

export class NetworkStack extends DeploymentStack {
  /** Name of the deployment's resource group. */
  readonly resourceGroupName: string;
  /** Id of the deployment's resource group. */
  readonly resourceGroupId: string;
  /** Region of the deployment. */
  readonly location: string;
  readonly virtualNetworkId: string;
  readonly defaultSubnetId: string;
  readonly defaultSubnetName: string;
  /** Subnet of the cluster's nodes. */
  readonly aksSubnetId: string;
  readonly aksSubnetName: string;
  /** Subnet of the virtual nodes' container groups, behind the NAT gateway. */
  readonly containerGroupSubnetId: string;
  readonly containerGroupSubnetName: string;
  /** The operator's egress address: what UID2 and any firewall see. */
  readonly natPublicIpAddress: string;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const n = props.network;

    // The network stack is applied first: checking the cluster's version here too stops a first
    // deploy at its first plan, before the resource group exists, when the region no longer
    // offers that version (the cluster stack checks it again where the cluster is decided).
    const versionGuard = new KubernetesVersionGuard(this, "kubernetes-version", {
      deployment: props.deployment,
      location: props.location,
      locationName: props.location,
      kubernetesVersion: props.kubernetesVersion,
    });
    const group = new ResourceGroup(this, "resource-group", {
      name: props.resourceGroupName,
      location: props.location,
      lifecycle: { precondition: [versionGuard.precondition] },
    });
    const inGroup = { resourceGroupName: group.name, location: group.location };

    const vnet = new VirtualNetwork(this, "vnet", { ...inGroup, name: props.virtualNetworkName, addressSpace: [...n.addressSpace] });
    const inVnet = { resourceGroupName: group.name, virtualNetworkName: vnet.name };

    const defaultSubnet = new Subnet(this, "subnet-default", { ...inVnet, name: SUBNET_NAMES.default, addressPrefixes: [n.defaultSubnet] });
    const aksSubnet = new Subnet(this, "subnet-aks", { ...inVnet, name: SUBNET_NAMES.aks, addressPrefixes: [n.aksSubnet] });
    const cgSubnet = new Subnet(this, "subnet-cg", {
      ...inVnet,
      name: SUBNET_NAMES.containerGroups,
      addressPrefixes: [n.containerGroupSubnet],
      delegation: [
        {
          name: "container-groups",
          serviceDelegation: {
            name: CONTAINER_GROUP_DELEGATION,
            actions: ["Microsoft.Network/virtualNetworks/subnets/action"],
          },
        },
      ],
      ...(props.keyVaultServiceEndpoint ? { serviceEndpoints: ["Microsoft.KeyVault"] } : {}),
    });

    // "Create Public IP Address" and "Create NAT Gateway": outbound traffic of the confidential
    // pods leaves through one static address.
    const publicIp = new PublicIp(this, "nat-public-ip", { ...inGroup, name: props.publicIpName, sku: "Standard", allocationMethod: "Static" });
    const nat = new NatGateway(this, "nat-gateway", {
      ...inGroup,
      name: props.natGatewayName,
      skuName: "Standard",
      idleTimeoutInMinutes: n.natIdleTimeoutMinutes,
    });
    new NatGatewayPublicIpAssociation(this, "nat-gateway-public-ip", { natGatewayId: nat.id, publicIpAddressId: publicIp.id });
    // "Configure NAT Service for Source Subnet": the cg subnet only.
    new SubnetNatGatewayAssociation(this, "subnet-cg-nat-gateway", { subnetId: cgSubnet.id, natGatewayId: nat.id });

    this.resourceGroupName = group.name;
    this.resourceGroupId = group.id;
    this.location = group.location;
    this.virtualNetworkId = vnet.id;
    this.defaultSubnetId = defaultSubnet.id;
    this.defaultSubnetName = defaultSubnet.name;
    this.aksSubnetId = aksSubnet.id;
    this.aksSubnetName = aksSubnet.name;
    this.containerGroupSubnetId = cgSubnet.id;
    this.containerGroupSubnetName = cgSubnet.name;
    this.natPublicIpAddress = publicIp.ipAddress;

    // For the runbooks' `az aks get-credentials --resource-group`: printed by the stack that owns
    // the group, where the value is never sensitive (a consumer's copy is, under tfe_outputs).
    new TerraformOutput(this, "resource_group_name", {
      value: group.name,
      description: "The deployment's resource group (az aks get-credentials --resource-group).",
    });
    new TerraformOutput(this, "nat_public_ip", {
      value: publicIp.ipAddress,
      description: "The operator's outbound (egress) IP address: allow it where UID2 or a firewall needs to know it.",
    });
    // The guide's note after the NAT step: where egress is restricted, these hosts must be allowed.
    new TerraformOutput(this, "egress_allowlist", {
      value: [...EGRESS_HOSTS[props.environment]],
      description: `Hosts the operator must reach on HTTPS (${EGRESS_PORT}) from nat_public_ip, for the ${props.environment} environment: allow them by name, not by IP address.`,
    });
  }
}
