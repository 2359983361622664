// The types of cdktf's jest matchers, which support/setup.ts installs at run time.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { randomBytes } from "crypto";
import { App, DataResource, Token } from "cdktf";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { defineDeployment } from "../main";
import { SecretsStack } from "../stacks/secrets-stack";
import { deployment, type Json } from "./support/config";
import { appWith, declaredOutputs, onlyResource, stackOf, synthOf, type SynthesizedStack, type TerraformJson } from "./support/synth";

/** Synthesizes the secrets stack of a deployment wired by main.ts, with its cross-stack reads resolved. */
function synthSecrets(overrides: Json = {}): SynthesizedStack & { stack: SecretsStack } {
  const d = deployment(overrides);
  const app = appWith(d);
  return { ...synthOf(app, `${d.name}-secrets`), stack: stackOf<SecretsStack>(app, `${d.name}-secrets`) };
}

/** A cross-stack read of a network stack output, as cdktf names it. */
const FROM_NETWORK = (output: string) =>
  expect.stringMatching(new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-integ-network\\.outputs\\.cross-stack-output-${output}\\}$`));

const VAULT_ID = "${azurerm_key_vault.key-vault.id}";
const OPERATOR_KEY_REFERENCE = "${var.operator_key}";

function resourcesOf(json: TerraformJson, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

function officerAssignment(json: TerraformJson): [string, Record<string, any>] {
  const found = Object.entries(resourcesOf(json, "azurerm_role_assignment")).filter(([, r]) => r.role_definition_name === "Key Vault Secrets Officer");
  if (found.length !== 1) throw new Error(`expected one Key Vault Secrets Officer assignment, found ${found.length}`);
  return found[0];
}

function onlyWait(json: TerraformJson): [string, Record<string, any>] {
  const all = Object.entries(resourcesOf(json, "terraform_data"));
  if (all.length !== 1) throw new Error(`expected one terraform_data, found ${all.length}`);
  return all[0];
}

describe("secrets stack", () => {
  // GIVEN the default integ deployment WHEN its secrets stack is synthesized
  const { text, json, stack } = synthSecrets();

  it("depends on the network stack only, so it deploys beside the cluster stack", () => {
    expect(stack.dependencies.map((s) => s.node.id)).toEqual(["integ-network"]);
  });

  it("creates the operator pods' managed identity in the network stack's resource group and region", () => {
    expect(text).toHaveResourceWithProperties(UserAssignedIdentity, {
      name: "id-uid2-integ-operator",
      resource_group_name: FROM_NETWORK("azurerm_resource_groupresource-groupname"),
      location: FROM_NETWORK("azurerm_resource_groupresource-grouplocation"),
    });
  });

  it("names the vault, without namePrefix, with a suffix derived at plan time from the subscription id and the deployment", () => {
    // Key Vault names are global: a fresh clone in another subscription gets another name.
    expect(onlyResource(json, "azurerm_key_vault").name).toBe(
      'kv-uid2-integ-${substr(sha256(join("/", [data.azurerm_client_config.client.subscription_id, "integ"])), 0, 6)}',
    );
  });

  it("names the vault exactly as configured with namePrefix or names.keyVault", () => {
    expect(onlyResource(synthSecrets({ namePrefix: "acme" }).json, "azurerm_key_vault").name).toBe("kv-acme-uid2-integ");
    expect(onlyResource(synthSecrets({ names: { keyVault: "kv-mine" } }).json, "azurerm_key_vault").name).toBe("kv-mine");
  });

  it("creates a standard vault with RBAC authorization and purge protection, in the caller's tenant", () => {
    expect(text).toHaveDataSource(DataAzurermClientConfig);
    expect(text).toHaveResourceWithProperties(KeyVault, {
      sku_name: "standard",
      tenant_id: "${data.azurerm_client_config.client.tenant_id}",
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      resource_group_name: FROM_NETWORK("azurerm_resource_groupresource-groupname"),
    });
  });

  it("does not use the deprecated enable_rbac_authorization", () => {
    expect(onlyResource(json, "azurerm_key_vault")).not.toHaveProperty("enable_rbac_authorization");
  });

  it("leaves the vault's firewall explicitly open by default", () => {
    expect(onlyResource(json, "azurerm_key_vault").network_acls).toEqual({ default_action: "Allow", bypass: "AzureServices" });
  });

  it("does not protect an integ vault from destroy", () => {
    expect(onlyResource(json, "azurerm_key_vault").lifecycle?.prevent_destroy).toBeUndefined();
  });

  it("grants the identity Key Vault Secrets User on the vault, as a service principal", () => {
    expect(text).toHaveResourceWithProperties(RoleAssignment, {
      role_definition_name: "Key Vault Secrets User",
      principal_id: "${azurerm_user_assigned_identity.operator-identity.principal_id}",
      principal_type: "ServicePrincipal",
      scope: VAULT_ID,
    });
  });

  it("grants the deployer Key Vault Secrets Officer on the vault, so it can write the key", () => {
    const [, officer] = officerAssignment(json);
    expect(officer).toEqual({
      role_definition_name: "Key Vault Secrets Officer",
      principal_id: "${data.azurerm_client_config.client.object_id}",
      scope: VAULT_ID,
    });
    expect(Object.keys(resourcesOf(json, "azurerm_role_assignment"))).toHaveLength(2);
  });

  it("takes the key as the sensitive, ephemeral string variable operator_key, and nothing else", () => {
    expect(Object.keys(json.variable ?? {})).toEqual(["operator_key"]);
    expect(json.variable!.operator_key).toMatchObject({ type: "string", sensitive: true, ephemeral: true });
    expect(json.variable!.operator_key).not.toHaveProperty("default");
  });

  it("tells in the variable's description how to set it and how to rotate", () => {
    const description: string = json.variable!.operator_key.description;
    expect(description).toContain("TF_VAR_operator_key");
    expect(description).toContain("Terraform Cloud");
    expect(description).toContain("secrets.operatorKeyVersion");
  });

  it("requires a Terraform that has ephemeral variables and write-only arguments", () => {
    expect(json.terraform.required_version).toBe(">= 1.11");
  });

  it("writes the key through the write-only value_wo, never value", () => {
    expect(text).toHaveResourceWithProperties(KeyVaultSecret, {
      name: "uid2-operator-key",
      key_vault_id: VAULT_ID,
      value_wo: OPERATOR_KEY_REFERENCE,
      value_wo_version: 1,
    });
    expect(onlyResource(json, "azurerm_key_vault_secret")).not.toHaveProperty("value");
  });

  it("uses the key in the secret's value_wo and nowhere else", () => {
    expect(text.split("var.operator_key").length - 1).toBe(1);
  });

  it("writes the secret only after the Officer assignment and the propagation wait", () => {
    const [officerName] = officerAssignment(json);
    const [waitName] = onlyWait(json);
    expect(onlyResource(json, "azurerm_key_vault_secret").depends_on).toEqual(
      expect.arrayContaining([`azurerm_role_assignment.${officerName}`, `terraform_data.${waitName}`]),
    );
  });

  it("waits rbacPropagationSeconds after each new Officer assignment", () => {
    const [officerName] = officerAssignment(json);
    expect(text).toHaveResourceWithProperties(DataResource, {
      triggers_replace: `\${azurerm_role_assignment.${officerName}.id}`,
      provisioner: [{ "local-exec": { command: "sleep 120" } }],
    });
  });

  it("tags the identity, the vault and the secret", () => {
    const tags = { environment: "integ", deployment: "integ", "managed-by": "uid2-operator-aks" };
    for (const type of ["azurerm_user_assigned_identity", "azurerm_key_vault", "azurerm_key_vault_secret"]) {
      expect(onlyResource(json, type).tags).toEqual(tags);
    }
  });

  it("outputs what the operator stack needs, none of it the key", () => {
    const values = Object.fromEntries(Object.entries(declaredOutputs(json)).map(([name, o]) => [name, o.value]));
    expect(values).toEqual({
      key_vault_name: "${azurerm_key_vault.key-vault.name}",
      key_vault_uri: "${azurerm_key_vault.key-vault.vault_uri}",
      key_vault_id: VAULT_ID,
      managed_identity_id: "${azurerm_user_assigned_identity.operator-identity.id}",
      managed_identity_client_id: "${azurerm_user_assigned_identity.operator-identity.client_id}",
      managed_identity_principal_id: "${azurerm_user_assigned_identity.operator-identity.principal_id}",
      operator_key_secret_name: "uid2-operator-key",
    });
  });

  it("exposes the same values as public fields", () => {
    expect(stack.operatorKeySecretName).toBe("uid2-operator-key");
    for (const token of [stack.keyVaultName, stack.keyVaultUri, stack.keyVaultId, stack.identityId, stack.identityClientId, stack.identityPrincipalId]) {
      expect(Token.isUnresolved(token)).toBe(true);
    }
    expect(stack.operatorKey).toBeDefined();
  });
});

describe("secrets stack with custom settings", () => {
  it("passes the key version, retention and wait through", () => {
    // GIVEN a deployment that rotated the key twice, keeps soft-deleted data 7 days and waits 30 s
    const { text } = synthSecrets({ secrets: { operatorKeyVersion: 3, softDeleteRetentionDays: 7, rbacPropagationSeconds: 30 } });
    // THEN each setting reaches its resource
    expect(text).toHaveResourceWithProperties(KeyVaultSecret, { value_wo_version: 3 });
    expect(text).toHaveResourceWithProperties(KeyVault, { soft_delete_retention_days: 7 });
    expect(text).toHaveResourceWithProperties(DataResource, { provisioner: [{ "local-exec": { command: "sleep 30" } }] });
  });

  it("uses the configured names", () => {
    // GIVEN custom vault, secret and identity names WHEN synthesized THEN they are used as given
    const { text, json, stack } = synthSecrets({ names: { keyVault: "kv-acme-1", operatorKeySecret: "opr-key", managedIdentity: "id-acme" } });
    expect(text).toHaveResourceWithProperties(KeyVault, { name: "kv-acme-1" });
    expect(text).toHaveResourceWithProperties(KeyVaultSecret, { name: "opr-key" });
    expect(text).toHaveResourceWithProperties(UserAssignedIdentity, { name: "id-acme" });
    expect(json.output!.operator_key_secret_name.value).toBe("opr-key");
    expect(stack.operatorKeySecretName).toBe("opr-key");
  });

  it("skips the wait when rbacPropagationSeconds is 0", () => {
    // GIVEN no propagation wait WHEN synthesized
    const { json } = synthSecrets({ secrets: { rbacPropagationSeconds: 0 } });
    // THEN there is no terraform_data and the secret waits for the Officer assignment only
    expect(json.resource!.terraform_data).toBeUndefined();
    const [officerName] = officerAssignment(json);
    expect(onlyResource(json, "azurerm_key_vault_secret").depends_on).toEqual([`azurerm_role_assignment.${officerName}`]);
  });

  it("names the Terraform Cloud workspace in the variable's description", () => {
    // GIVEN a Terraform Cloud backend WHEN synthesized THEN the description points at the secrets workspace
    const { json } = synthSecrets({ backend: { type: "cloud", organization: "acme", workspacePrefix: "uid2-" } });
    expect(json.variable!.operator_key.description).toContain('workspace "uid2-integ-secrets"');
  });
});

describe("secrets stack with a bring-your-own operator key", () => {
  // GIVEN manageOperatorKey false WHEN synthesized
  const { json, stack } = synthSecrets({ secrets: { manageOperatorKey: false } });

  it("declares no variable, secret, Officer assignment or wait", () => {
    expect(json.variable).toBeUndefined();
    expect(json.resource!.azurerm_key_vault_secret).toBeUndefined();
    expect(json.resource!.terraform_data).toBeUndefined();
    expect(Object.values(resourcesOf(json, "azurerm_role_assignment")).map((r) => r.role_definition_name)).toEqual(["Key Vault Secrets User"]);
    expect(stack.operatorKey).toBeUndefined();
  });

  it("still creates the vault and identity and exposes the secret name", () => {
    expect(onlyResource(json, "azurerm_key_vault").rbac_authorization_enabled).toBe(true);
    expect(onlyResource(json, "azurerm_user_assigned_identity").name).toBe("id-uid2-integ-operator");
    expect(json.output!.operator_key_secret_name.value).toBe("uid2-operator-key");
    expect(stack.operatorKeySecretName).toBe("uid2-operator-key");
  });
});

describe("secrets stack protection", () => {
  it("protects a prod vault from destroy by default", () => {
    // GIVEN a prod deployment WHEN synthesized THEN the vault has prevent_destroy
    const { json } = synthSecrets({ name: "prod", environment: "prod" });
    expect(onlyResource(json, "azurerm_key_vault").lifecycle).toEqual({ prevent_destroy: true });
  });

  it("follows secrets.protect over the environment's default", () => {
    // GIVEN integ with protect on, and prod with protect off
    const integ = synthSecrets({ secrets: { protect: true } });
    const prod = synthSecrets({ name: "prod", environment: "prod", secrets: { protect: false } });
    // THEN only the integ vault is protected
    expect(onlyResource(integ.json, "azurerm_key_vault").lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(prod.json, "azurerm_key_vault").lifecycle?.prevent_destroy).toBeUndefined();
  });
});

describe("secrets stack with a network-restricted vault", () => {
  // GIVEN restrictNetwork with one allowed deployer address WHEN synthesized
  const { json } = synthSecrets({ secrets: { restrictNetwork: true, allowedIps: ["203.0.113.7", "198.51.100.0/24"] } });

  it("denies all but Azure services, the cg subnet and the allowed addresses", () => {
    expect(onlyResource(json, "azurerm_key_vault").network_acls).toEqual({
      default_action: "Deny",
      bypass: "AzureServices",
      virtual_network_subnet_ids: [FROM_NETWORK("azurerm_subnetsubnet-cgid")],
      ip_rules: ["203.0.113.7", "198.51.100.0/24"],
    });
  });

  it("warns in the variable's description that the deployer must be allowed through", () => {
    expect(json.variable!.operator_key.description).toContain("secrets.allowedIps");
  });
});

describe("operator key canary", () => {
  const NAMES = ["TF_VAR_operator_key", "OPERATOR_KEY", "UID2_OPERATOR_KEY"] as const;
  const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
  let outdir: string;

  afterEach(() => {
    for (const name of NAMES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    rmSync(outdir, { recursive: true, force: true });
  });

  function filesUnder(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(full) : [full];
    });
  }

  it("never writes the operator key into the synthesized output", () => {
    // GIVEN a unique key in every environment variable a key could be read from
    const canary = `canary-${randomBytes(16).toString("hex")}`;
    for (const name of NAMES) process.env[name] = canary;
    // WHEN a full app of the deployment is synthesized to disk
    outdir = mkdtempSync(path.join(tmpdir(), "secrets-canary-"));
    const app = new App({ outdir });
    defineDeployment(app, deployment());
    app.synth();
    // THEN the stack was written, and no file holds the key
    const files = filesUnder(outdir);
    expect(files.some((file) => file.endsWith(path.join("integ-secrets", "cdk.tf.json")))).toBe(true);
    const holders = files.filter((file) => readFileSync(file, "utf8").includes(canary));
    expect(holders).toEqual([]);
  });
});
