/**
 * The kubelet identity's rights, guide "Create Contributor Role for the Two Resource Groups".
 *
 * The virtual-node kubelet runs as the cluster's kubelet identity and creates the operator's
 * container groups: in the AKS node resource group (the chart's `aciResourceGroupName` is empty),
 * joined to the `cg` subnet of the deployment's resource group, running as the operator's
 * user-assigned identity (also in the deployment's resource group). So it needs rights on both
 * groups: Contributor as the guide grants, or only the actions below (facts.md, "Least-privilege
 * alternative to Contributor").
 */
import { Construct } from "constructs";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { RoleDefinition } from "@cdktf/provider-azurerm/lib/role-definition";
import type { KubeletRole } from "../lib/config/types";

/** What the virtual nodes do with the kubelet identity, and nothing more. */
export const VIRTUAL_NODE_ACTIONS = [
  "Microsoft.ContainerInstance/containerGroups/read",
  "Microsoft.ContainerInstance/containerGroups/write",
  "Microsoft.ContainerInstance/containerGroups/delete",
  "Microsoft.ContainerInstance/containerGroups/containers/exec/action",
  "Microsoft.Network/virtualNetworks/subnets/join/action",
  // The operator's pods run with a user-assigned identity.
  "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
] as const;

export const CONTRIBUTOR = "Contributor";

export interface KubeletRolesProps {
  /** The kubelet identity's object (principal) ID; its client ID is not a principal. */
  readonly principalId: string;
  /** `Contributor` (the guide) or `least-privilege` (config `cluster.kubeletRole`). */
  readonly kubeletRole: KubeletRole;
  /** The AKS node resource group (`MC_...`), where the container groups are created. */
  readonly nodeResourceGroupId: string;
  /** The deployment's resource group: the VNet with the `cg` subnet, and the operator's identity. */
  readonly deploymentResourceGroupId: string;
  /** Name of the custom role in `least-privilege` mode; role names are unique in the tenant. */
  readonly customRoleName: string;
}

export class KubeletRoles extends Construct {
  /** The custom role, in `least-privilege` mode only. */
  readonly customRole?: RoleDefinition;

  constructor(scope: Construct, id: string, props: KubeletRolesProps) {
    super(scope, id);
    const scopes = { "node-resource-group": props.nodeResourceGroupId, "deployment-resource-group": props.deploymentResourceGroupId };

    let role: { roleDefinitionName: string } | { roleDefinitionId: string } = { roleDefinitionName: CONTRIBUTOR };
    if (props.kubeletRole === "least-privilege") {
      this.customRole = new RoleDefinition(this, "virtual-node-role", {
        name: props.customRoleName,
        description: "What the AKS kubelet identity needs to run UID2 operator pods on virtual nodes (Azure Container Instances).",
        scope: props.deploymentResourceGroupId,
        assignableScopes: Object.values(scopes),
        permissions: [{ actions: [...VIRTUAL_NODE_ACTIONS] }],
      });
      role = { roleDefinitionId: this.customRole.roleDefinitionResourceId };
    }

    for (const [name, scope] of Object.entries(scopes)) {
      new RoleAssignment(this, name, {
        ...role,
        scope,
        principalId: props.principalId,
        principalType: "ServicePrincipal",
        // AKS creates the kubelet identity moments before; Entra ID may not have replicated it
        // yet, and the provider's lookup of the principal would then fail the apply.
        skipServicePrincipalAadCheck: true,
      });
    }
  }
}
