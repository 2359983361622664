/**
 * The Terraform Cloud bootstrap: selected only with the cloud backend, one workspace per stack
 * named as the stacks' cloud blocks name them, the remote runs' Azure dynamic credentials, the
 * token tfe_outputs reads with, and never the operator key.
 */
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { WorkspaceSettings } from "@cdktf/provider-tfe/lib/workspace-settings";
import { ASSIGNED_ROLES, roleAssignmentCondition, WORKSPACE_TERRAFORM_VERSION } from "../stacks/tfc-bootstrap-stack";
import { deployment, type Json } from "./support/config";
import { TerraformStack } from "cdktf";
import { appWith, synthOf, type TerraformJson } from "./support/synth";

const CLOUD = { type: "cloud", organization: "acme", workspacePrefix: "uid2-", project: "uid2" };

/** The ids of one deployment's app (no synthesis needed). */
function stackIds(overrides: Json, backend: Json): string[] {
  return appWith(deployment({ backend, ...overrides })).node.children.filter(TerraformStack.isStack).map((stack) => stack.node.id);
}

/** One deployment's bootstrap stack alone, synthesized. */
function bootstrapOf(overrides: Json = {}, backend: Json = CLOUD): TerraformJson {
  return synthOf(appWith(deployment({ backend, ...overrides })), "tfc-bootstrap-acme").json;
}
const resources = (json: TerraformJson, type: string): Record<string, any>[] => Object.values(json.resource?.[type] ?? {});
const variables = (json: TerraformJson, key: string) => resources(json, "tfe_variable").filter((v) => v.key === key);

describe("Terraform Cloud bootstrap", () => {
  // GIVEN two deployments on the cloud backend WHEN the bootstrap is synthesized
  const app = appWith(deployment({ backend: CLOUD }), deployment({ name: "prod", environment: "prod", backend: CLOUD }));
  const bootstrap = synthOf(app, "tfc-bootstrap-acme");
  const ids = app.node.children.filter(TerraformStack.isStack).map((stack) => stack.node.id);

  it("is one stack per organization, with its own local state", () => {
    expect(ids.filter((id) => id.startsWith("tfc-bootstrap"))).toEqual(["tfc-bootstrap-acme"]);
    expect(bootstrap.json.terraform.backend).toEqual({ local: { path: "../../../terraform.tfc-bootstrap-acme.tfstate" } });
  });

  it("creates exactly the workspaces the stacks' cloud blocks name, in the configured project, on Terraform 1.11 or newer", () => {
    const network = synthOf(app, "integ-network").json.terraform.cloud.workspaces.name;
    expect(network).toBe("uid2-integ-network");
    // (config-examples.test.ts: every stack's cloud block names <workspacePrefix><stack id>)
    const named = ids.filter((id) => id !== "tfc-bootstrap-acme").map((id) => `uid2-${id}`).sort();
    expect(resources(bootstrap.json, "tfe_workspace").map((w) => w.name).sort()).toEqual(named);
    expect(named).toHaveLength(10);
    expect(bootstrap.text).toHaveResourceWithProperties(Workspace, { name: "uid2-integ-network", organization: "acme", project_id: "${tfe_project.project-1.id}", terraform_version: WORKSPACE_TERRAFORM_VERSION });
    expect(resources(bootstrap.json, "tfe_project")).toEqual([expect.objectContaining({ name: "uid2", organization: "acme" })]);
    expect(bootstrap.text).toHaveResourceWithProperties(WorkspaceSettings, { execution_mode: "remote" });
  });

  it("gives every workspace Azure dynamic credentials: a federated credential per run phase for its deployment's identity, and the variables that use it", () => {
    const credentials = resources(bootstrap.json, "azurerm_federated_identity_credential");
    expect(credentials).toHaveLength(20);
    expect(credentials.map((c) => c.subject)).toContain("organization:acme:project:uid2:workspace:uid2-integ-secrets:run_phase:plan");
    expect(credentials.map((c) => c.subject)).toContain("organization:acme:project:uid2:workspace:uid2-prod-operator:run_phase:apply");
    for (const c of credentials) expect(c).toMatchObject({ issuer: "https://app.terraform.io", audience: ["api://AzureADTokenExchange"] });
    // one identity per deployment keeps each under Azure's 20 federated credentials per identity
    const perIdentity = new Map<string, number>();
    for (const c of credentials) perIdentity.set(c.parent_id, (perIdentity.get(c.parent_id) ?? 0) + 1);
    expect([...perIdentity.values()]).toEqual([10, 10]);
    for (const key of ["TFC_AZURE_PROVIDER_AUTH", "TFC_AZURE_RUN_CLIENT_ID", "ARM_SUBSCRIPTION_ID", "ARM_TENANT_ID"]) {
      expect({ key, count: variables(bootstrap.json, key).length }).toEqual({ key, count: 10 });
    }
    expect(variables(bootstrap.json, "TFC_AZURE_PROVIDER_AUTH")[0]).toMatchObject({ value: "true", category: "env" });
    expect(variables(bootstrap.json, "TFC_AZURE_RUN_CLIENT_ID").map((v) => v.value)).toContain("${azurerm_user_assigned_identity.identity-integ.client_id}");
  });

  it("lets the identity assign only the roles the stacks assign, never Owner", () => {
    const assignments = resources(bootstrap.json, "azurerm_role_assignment");
    expect(assignments.map((a) => a.role_definition_name).sort()).toEqual(["Contributor", "Contributor", "Role Based Access Control Administrator", "Role Based Access Control Administrator"]);
    const rbac = assignments.find((a) => a.role_definition_name === "Role Based Access Control Administrator")!;
    expect(rbac).toMatchObject({ condition: roleAssignmentCondition(Object.values(ASSIGNED_ROLES)), condition_version: "2.0" });
    expect(rbac.condition).not.toContain("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"); // Owner
    expect(assignments.some((a) => a.role_definition_name === "Owner" || a.role_definition_name === "User Access Administrator")).toBe(false);
  });

  it("gives every stack that reads others a token that may read outputs only", () => {
    const tokens = variables(bootstrap.json, "TFE_TOKEN");
    expect(tokens).toHaveLength(8);
    for (const t of tokens) expect(t).toMatchObject({ category: "env", sensitive: true, value: "${tfe_team_token.outputs-readers-token.token}" });
    const access = resources(bootstrap.json, "tfe_team_access");
    expect(access).toHaveLength(10);
    for (const a of access) expect(a.permissions).toEqual([{ runs: "read", variables: "none", state_versions: "read-outputs", sentinel_mocks: "none", workspace_locking: false, run_tasks: false }]);
  });

  it("never holds the operator key", () => {
    expect(bootstrap.text).not.toMatch(/operator_key/);
    expect(bootstrap.json.variable).toBeUndefined();
  });
});

describe("Terraform Cloud bootstrap by setting", () => {
  it("is not synthesized for the local and azurerm backends", () => {
    expect(stackIds({}, { type: "local" }).some((id) => id.startsWith("tfc-bootstrap"))).toBe(false);
    const azurerm = { type: "azurerm", resourceGroupName: "rg-tfstate", storageAccountName: "sttfstate", containerName: "tfstate" };
    expect(stackIds({}, azurerm).some((id) => id.startsWith("tfc-bootstrap"))).toBe(false);
    expect(stackIds({}, CLOUD)).toContain("tfc-bootstrap-acme");
  });

  it("with executionMode local: the workspaces run nothing remotely, so no identity or Azure variables", () => {
    const json = bootstrapOf({}, { ...CLOUD, executionMode: "local" });
    expect(resources(json, "tfe_workspace_settings").map((s) => s.execution_mode)).toEqual(Array(5).fill("local"));
    expect(resources(json, "azurerm_user_assigned_identity")).toEqual([]);
    expect(variables(json, "TFC_AZURE_PROVIDER_AUTH")).toEqual([]);
  });

  it("without a project: the organization's default project, looked up, and named in the credentials' subjects", () => {
    const { project: _project, ...noProject } = CLOUD;
    const json = bootstrapOf({}, noProject);
    expect(resources(json, "tfe_project")).toEqual([]);
    expect(Object.values(json.data!.tfe_project)).toEqual([expect.objectContaining({ name: "Default Project", organization: "acme" })]);
    expect(resources(json, "azurerm_federated_identity_credential").map((c) => c.subject)).toContain("organization:acme:project:Default Project:workspace:uid2-integ-network:run_phase:plan");
  });

  it("with the least-privilege kubelet role, whose custom role id no condition can name, the role assignment right is unconditioned", () => {
    const json = bootstrapOf({ cluster: { kubeletRole: "least-privilege" } });
    const rbac = resources(json, "azurerm_role_assignment").filter((a) => a.role_definition_name === "Role Based Access Control Administrator");
    expect(rbac).toHaveLength(1);
    for (const a of rbac) expect(a.condition).toBeUndefined();
  });

  it("with monitoring disabled, has four workspaces for the deployment", () => {
    const json = bootstrapOf({ monitoring: { enabled: false } });
    expect(resources(json, "tfe_workspace")).toHaveLength(4);
  });
});
