/**
 * Terraform Cloud from zero, once per organization, before the first deployment: what the
 * deployments' workspaces need before their first remote run can succeed. Without it, `cdktf
 * deploy` lets the cloud backend create each workspace during `init` with the organization's
 * defaults and plans at once, with no Azure credentials, no token for `tfe_outputs` and no
 * operator key.
 *
 * - One workspace per stack, named as the stacks' `cloud` blocks name them, in the configured
 *   project, with its execution mode and a Terraform version the stacks accept.
 * - Per deployment, a user-assigned managed identity its remote runs act as, through Azure's
 *   dynamic provider credentials: one federated credential per workspace and run phase (plan,
 *   apply), and the workspace variables that switch them on. Its roles are as narrow as the
 *   stacks allow (see `identityRoles`).
 * - A team whose token may read the outputs of the workspaces others read (`tfe_outputs`, the
 *   cloud backend's cross-stack reads), given to the consuming workspaces as `TFE_TOKEN`.
 *
 * It never holds the operator key: the `-secrets` workspace's `operator_key` is set with
 * `npm run tfc-key` (lib/tfc/operator-key.ts), which sends it to Terraform Cloud's API only.
 * Its own state is local (`terraform.<stack id>.tfstate`): the workspaces it creates cannot hold
 * the state that creates them. That state holds the team token; keep it as the other states.
 */
import { Construct } from "constructs";
import { Aspects, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { DataTfeProject } from "@cdktf/provider-tfe/lib/data-tfe-project";
import { Project } from "@cdktf/provider-tfe/lib/project";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { Team } from "@cdktf/provider-tfe/lib/team";
import { TeamAccess } from "@cdktf/provider-tfe/lib/team-access";
import { TeamToken } from "@cdktf/provider-tfe/lib/team-token";
import { Variable } from "@cdktf/provider-tfe/lib/variable";
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { WorkspaceSettings } from "@cdktf/provider-tfe/lib/workspace-settings";
import { AzureProvider } from "../constructs/azure-provider";
import { StandardTags, standardTags } from "../constructs/standard-tags";
import { localStatePath } from "../constructs/state-backend";
import { TerraformVersionRequirement } from "../constructs/terraform-version";
import type { KubeletRole } from "../lib/config/types";
import { REQUIRED_TERRAFORM_VERSION } from "./deployment-stack";

/** The workspaces' Terraform: any 1.x from 1.11 on (REQUIRED_TERRAFORM_VERSION), as Terraform Cloud writes a constraint. */
export const WORKSPACE_TERRAFORM_VERSION = "~> 1.11";
/** The project Terraform Cloud puts workspaces in when none is named. */
export const DEFAULT_PROJECT = "Default Project";
/** Azure's audience for tokens exchanged through workload identity federation. */
const AZURE_AUDIENCE = "api://AzureADTokenExchange";
/** The run phases Terraform Cloud issues workload identity tokens for. */
export const RUN_PHASES = ["plan", "apply"] as const;

/**
 * Built-in roles the stacks assign (cluster: Contributor to the kubelet identity, Network
 * Contributor to the cluster's; secrets: Key Vault Secrets User to the pods' identity, Key Vault
 * Secrets Officer to whoever deploys), by their fixed ids
 * (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
 */
export const ASSIGNED_ROLES = {
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
  "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
  "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
} as const;

/**
 * "Role Based Access Control Administrator" limited by an Azure ABAC condition to creating and
 * deleting assignments of ASSIGNED_ROLES only (learn.microsoft.com, "Delegate Azure role
 * assignment management to others with conditions"): the identity cannot make itself Owner.
 */
export function roleAssignmentCondition(roleIds: readonly string[]): string {
  const ids = roleIds.join(", ");
  return [
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ids}}))`,
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ids}}))`,
  ].join(" AND ");
}

/** One stack's workspace. */
export interface BootstrappedWorkspace {
  /** The stack id (`integ-network`). */
  readonly stack: string;
  /** Its workspace (`<workspacePrefix><stack id>`). */
  readonly workspace: string;
  /** Whether it reads other stacks' outputs (`tfe_outputs`): every stack but the network stack. */
  readonly readsOutputs: boolean;
}

export interface BootstrappedDeployment {
  /** Config `name`. */
  readonly name: string;
  /** Config `backend.project`; the organization's default project when unset. */
  readonly project?: string;
  /** Config `backend.executionMode` (default `remote`). */
  readonly executionMode: "remote" | "local";
  /** Config `names.tfcIdentity` (default `id-<prefix>-uid2-<name>-tfc`). */
  readonly identityName: string;
  /** Config `cluster.kubeletRole`: with `least-privilege` the stacks assign a custom role, whose id no condition can name in advance. */
  readonly kubeletRole: KubeletRole;
  /** Its stacks, dependencies first. The team may read the outputs of all of them (each but the last is read by another). */
  readonly workspaces: readonly BootstrappedWorkspace[];
}

export interface TfcBootstrapStackProps {
  /** Config `backend.hostname` (default `app.terraform.io`). */
  readonly hostname: string;
  /** Config `backend.organization`. */
  readonly organization: string;
  /** Resource group of the runs' identities: `rg-<prefix>-uid2-tfc` of the organization's first deployment. */
  readonly resourceGroupName: string;
  /** Region of that group: the first deployment's `location`. */
  readonly location: string;
  /** Config `tags` of the first deployment, beside the standard ones. */
  readonly tags: Readonly<Record<string, string>>;
  /** The organization's deployments that use the cloud backend. */
  readonly deployments: readonly BootstrappedDeployment[];
}

export class TfcBootstrapStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: TfcBootstrapStackProps) {
    super(scope, id);
    new TerraformVersionRequirement(this, "terraform-version", REQUIRED_TERRAFORM_VERSION);
    new LocalBackend(this, { path: localStatePath(id) });
    new AzureProvider(this, "azure");
    new TfeProvider(this, "tfe", { hostname: props.hostname });
    // Its Azure resources serve every deployment of the organization: tagged as this stack's.
    Aspects.of(this).add(new StandardTags(standardTags(id, "shared", props.tags)));

    const azure = new DataAzurermClientConfig(this, "azure-login", {});
    const group = new ResourceGroup(this, "identities", { name: props.resourceGroupName, location: props.location });
    const subscriptionScope = `/subscriptions/${azure.subscriptionId}`;

    const projects = new Map<string, string>();
    const projectId = (name: string | undefined): string => {
      const key = name ?? DEFAULT_PROJECT;
      if (!projects.has(key)) {
        const construct = `project-${projects.size + 1}`;
        projects.set(key, name === undefined ? new DataTfeProject(this, construct, { name: DEFAULT_PROJECT, organization: props.organization }).id : new Project(this, construct, { name, organization: props.organization }).id);
      }
      return projects.get(key)!;
    };

    // The token `tfe_outputs` reads producers' outputs with: a team that may read outputs only.
    const readers = new Team(this, "outputs-readers", { name: "uid2-operator-outputs", organization: props.organization, visibility: "secret" });
    const readerToken = new TeamToken(this, "outputs-readers-token", { teamId: readers.id, description: "tfe_outputs of the UID2 operator's stacks" });

    for (const d of props.deployments) {
      const identity = d.executionMode === "remote" ? this.runIdentity(d, group, subscriptionScope) : undefined;
      const workspaces = new Map<string, Workspace>();
      for (const w of d.workspaces) {
        const workspace = new Workspace(this, `workspace-${w.stack}`, {
          name: w.workspace,
          organization: props.organization,
          projectId: projectId(d.project),
          terraformVersion: WORKSPACE_TERRAFORM_VERSION,
          description: `Stack ${w.stack} of the UID2 operator (CLI-driven: deployed with npx cdktf deploy ${w.stack}).`,
          // A workspace is destroyed with its state only when the state is empty.
          forceDelete: false,
        });
        workspaces.set(w.stack, workspace);
        new WorkspaceSettings(this, `settings-${w.stack}`, { workspaceId: workspace.id, executionMode: d.executionMode });
        const variable = (key: string, value: string, extra: { sensitive?: boolean; description: string }) =>
          new Variable(this, `${w.stack}-${key.toLowerCase().replace(/_/g, "-")}`, { workspaceId: workspace.id, category: "env", key, value, ...extra });
        if (identity) {
          for (const phase of RUN_PHASES) {
            new FederatedIdentityCredential(this, `federation-${w.stack}-${phase}`, {
              name: `tfc-${w.workspace}-${phase}`,
              resourceGroupName: group.name,
              parentId: identity.id,
              audience: [AZURE_AUDIENCE],
              issuer: `https://${props.hostname}`,
              subject: `organization:${props.organization}:project:${d.project ?? DEFAULT_PROJECT}:workspace:${w.workspace}:run_phase:${phase}`,
            });
          }
          variable("TFC_AZURE_PROVIDER_AUTH", "true", { description: "Azure dynamic provider credentials: runs act as the deployment's managed identity." });
          variable("TFC_AZURE_RUN_CLIENT_ID", identity.clientId, { description: `Client id of ${d.identityName}.` });
          variable("ARM_SUBSCRIPTION_ID", azure.subscriptionId, { description: "The subscription the stacks deploy to." });
          variable("ARM_TENANT_ID", azure.tenantId, { description: "The tenant of that subscription." });
        }
        if (w.readsOutputs) {
          variable("TFE_TOKEN", readerToken.token, { sensitive: true, description: "Reads the outputs of the stacks this one reads (tfe_outputs)." });
        }
      }
      // Read access to outputs (nothing else) of the deployment's workspaces.
      for (const w of d.workspaces) {
        new TeamAccess(this, `outputs-of-${w.stack}`, {
          teamId: readers.id,
          workspaceId: workspaces.get(w.stack)!.id,
          permissions: [{ runs: "read", variables: "none", stateVersions: "read-outputs", sentinelMocks: "none", workspaceLocking: false, runTasks: false }],
        });
      }
      new TerraformOutput(this, `${d.name}-workspaces`, {
        value: d.workspaces.map((w) => w.workspace),
        description: `The workspaces of deployment ${d.name}, in deploy order.`,
      });
      if (identity) new TerraformOutput(this, `${d.name}-run-identity`, { value: identity.principalId, description: `Principal id of ${d.identityName}, the identity its remote runs act as.` });
    }
  }

  /**
   * The identity a deployment's remote runs act as, and its roles. The stacks create the
   * deployment's resource group and assign roles in it and in the node resource group AKS creates,
   * so both roles sit on the subscription: Contributor, and Role Based Access Control
   * Administrator limited to the roles the stacks assign (roleAssignmentCondition). With
   * `cluster.kubeletRole` "least-privilege" the stacks define and assign a custom role whose id
   * is not known here, so that assignment is unconditioned.
   */
  private runIdentity(d: BootstrappedDeployment, group: ResourceGroup, subscriptionScope: string): UserAssignedIdentity {
    const identity = new UserAssignedIdentity(this, `identity-${d.name}`, { name: d.identityName, resourceGroupName: group.name, location: group.location });
    const assign = (id: string, role: string, condition?: string) =>
      new RoleAssignment(this, `${d.name}-${id}`, {
        scope: subscriptionScope,
        roleDefinitionName: role,
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
        skipServicePrincipalAadCheck: true,
        ...(condition ? { condition, conditionVersion: "2.0" } : {}),
      });
    assign("contributor", "Contributor");
    assign("role-assignments", "Role Based Access Control Administrator", d.kubeletRole === "Contributor" ? roleAssignmentCondition(Object.values(ASSIGNED_ROLES)) : undefined);
    return identity;
  }
}
