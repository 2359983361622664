/**
 * Security posture of the synthesized JSON of real syntheses (the committed configuration, and a
 * multi-region one), with a canary operator key in every environment variable the app could read
 * a key from.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../lib/project-root";
import { readTree, runApp } from "./support/run-app";

type Resource = Record<string, any>;
type StackJson = { resource?: Record<string, Record<string, Resource>>; output?: Record<string, { value: unknown }>; provider?: Record<string, unknown>; terraform: Record<string, any> };

const CANARY = `canary-${process.pid}-${Date.now().toString(36)}-operator-key`;
const KEY_VARIABLES = { TF_VAR_operator_key: CANARY, OPERATOR_KEY: CANARY, UID2_OPERATOR_KEY: CANARY, ARM_CLIENT_SECRET: CANARY };

const MULTI_REGION = {
  defaults: { namePrefix: "acme", tags: { owner: "ads-platform" } },
  deployments: [
    { name: "integ", environment: "integ", location: "eastus" },
    { name: "prod-east", environment: "prod", location: "eastus2", secrets: { restrictNetwork: true, allowedIps: ["203.0.113.7"] } },
    { name: "prod-west", environment: "prod", location: "westus2", cluster: { kubeletRole: "least-privilege" } },
  ],
};

interface Synthesis {
  readonly files: Map<string, string>;
  readonly stacks: Map<string, StackJson>;
}

async function synthesize(config?: unknown): Promise<Synthesis> {
  let env: NodeJS.ProcessEnv = KEY_VARIABLES;
  if (config) {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "uid2-posture-")), "deployments.json");
    writeFileSync(file, JSON.stringify(config));
    env = { ...env, UID2_CONFIG: file };
  }
  const result = await runApp(env);
  expect(result.code).toBe(0);
  const files = readTree(result.outdir);
  const stacks = new Map<string, StackJson>();
  for (const [file, content] of files) {
    const match = /^stacks\/([^/]+)\/cdk\.tf\.json$/.exec(file);
    if (match) stacks.set(match[1], JSON.parse(content));
  }
  return { files, stacks };
}

function resources(stacks: Map<string, StackJson>, type: string): [string, Resource][] {
  return [...stacks].flatMap(([stack, json]) => Object.values(json.resource?.[type] ?? {}).map((r): [string, Resource] => [stack, r]));
}

/** Whether the provider binding of a resource type accepts tags (read from its declaration). */
const taggableCache = new Map<string, boolean>();
function isTaggable(type: string): boolean {
  if (!taggableCache.has(type)) {
    const [provider, ...rest] = type.split("_");
    const declaration = path.join(PROJECT_ROOT, "node_modules", "@cdktf", `provider-${provider}`, "lib", rest.join("-"), "index.d.ts");
    taggableCache.set(type, existsSync(declaration) && /readonly tags\?: \{/.test(readFileSync(declaration, "utf8")));
  }
  return taggableCache.get(type)!;
}

/** Scopes a role may be granted at: a resource group, the vault, or a subnet — never a subscription. */
const ALLOWED_SCOPES = [
  /^\$\{azurerm_key_vault\.[\w-]+\.id\}$/,
  /^\$\{azurerm_kubernetes_cluster\.[\w-]+\.node_resource_group_id\}$/,
  /^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.cross-stack-output-azurerm_resource_group[\w-]*\.?id\}$/,
  /^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.cross-stack-output-azurerm_subnet[\w-]*\.?id\}$/,
];

const CREDENTIAL = /kube_(admin_)?config|client_key|client_certificate|cluster_ca_certificate|password|client_secret|operator_key|value_wo|azurerm_key_vault_secret\.[\w-]+\.value/;

describe.each([
  ["the committed configuration", undefined],
  ["a multi-region configuration", MULTI_REGION],
])("posture of %s", (_title, config) => {
  let synthesis: Synthesis;
  beforeAll(async () => {
    synthesis = await synthesize(config);
  });

  it("keeps the canary key out of every file of the output", () => {
    expect(synthesis.stacks.size).toBeGreaterThan(0);
    for (const [file, content] of synthesis.files) {
      if (content.includes(CANARY)) throw new Error(`the operator key canary appears in ${file}`);
    }
  });

  it("gives every Key Vault purge protection and RBAC, and prod vaults prevent_destroy", () => {
    const vaults = resources(synthesis.stacks, "azurerm_key_vault");
    expect(vaults.length).toBeGreaterThan(0);
    for (const [stack, vault] of vaults) {
      expect(vault.purge_protection_enabled).toBe(true);
      expect(vault.rbac_authorization_enabled).toBe(true);
      expect(vault).not.toHaveProperty("enable_rbac_authorization");
      const prod = stack.startsWith("prod");
      expect(vault.lifecycle?.prevent_destroy ?? false).toBe(prod);
    }
  });

  it("writes the operator key only through value_wo, from the operator_key variable", () => {
    const secrets = resources(synthesis.stacks, "azurerm_key_vault_secret");
    expect(secrets.length).toBeGreaterThan(0);
    for (const [, secret] of secrets) {
      expect(secret).not.toHaveProperty("value");
      expect(secret.value_wo).toBe("${var.operator_key}");
    }
    for (const [, json] of synthesis.stacks) {
      const variable = (json as any).variable?.operator_key;
      if (variable) expect(variable).toMatchObject({ sensitive: true, ephemeral: true });
    }
  });

  it("outputs no secret, key or credential", () => {
    for (const [stack, json] of synthesis.stacks) {
      for (const [name, output] of Object.entries(json.output ?? {})) {
        if (CREDENTIAL.test(JSON.stringify(output.value))) throw new Error(`${stack} output ${name} carries a credential: ${JSON.stringify(output.value)}`);
      }
    }
  });

  it("grants roles only at resource-group, vault or subnet scope, never the subscription", () => {
    const assignments = resources(synthesis.stacks, "azurerm_role_assignment");
    expect(assignments.length).toBeGreaterThan(0);
    for (const [stack, assignment] of assignments) {
      if (!ALLOWED_SCOPES.some((allowed) => allowed.test(assignment.scope))) throw new Error(`${stack}: role assignment at scope ${assignment.scope}`);
    }
    for (const [stack, definition] of resources(synthesis.stacks, "azurerm_role_definition")) {
      for (const scope of [definition.scope, ...definition.assignable_scopes]) {
        if (!ALLOWED_SCOPES.some((allowed) => allowed.test(scope))) throw new Error(`${stack}: role definition scope ${scope}`);
      }
    }
  });

  it("puts the NAT gateway on the cg subnet only", () => {
    for (const [stack, json] of synthesis.stacks) {
      const associations = Object.values(json.resource?.azurerm_subnet_nat_gateway_association ?? {});
      for (const association of associations) {
        const subnetId = /^\$\{azurerm_subnet\.([\w-]+)\.id\}$/.exec(association.subnet_id)?.[1];
        expect(json.resource!.azurerm_subnet[subnetId!].name).toBe("cg");
      }
      if (stack.endsWith("-network")) expect(associations).toHaveLength(1);
    }
  });

  it("sets a network policy on every cluster", () => {
    const clusters = resources(synthesis.stacks, "azurerm_kubernetes_cluster");
    expect(clusters.length).toBeGreaterThan(0);
    for (const [, cluster] of clusters) expect(["calico", "azure"]).toContain(cluster.network_profile.network_policy);
  });

  it("tags every taggable resource with environment, deployment and managed-by", () => {
    let checked = 0;
    for (const [stack, json] of synthesis.stacks) {
      const deployment = stack.replace(/-(network|cluster|secrets|operator|monitoring)$/, "");
      for (const [type, byId] of Object.entries(json.resource ?? {})) {
        if (!isTaggable(type)) continue;
        for (const [id, resource] of Object.entries(byId)) {
          checked++;
          expect({ resource: `${stack}/${type}.${id}`, tags: resource.tags }).toEqual({
            resource: `${stack}/${type}.${id}`,
            tags: expect.objectContaining({ environment: expect.stringMatching(/^(integ|prod)$/), deployment, "managed-by": "uid2-operator-aks" }),
          });
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it("configures, in each stack, the provider of every resource it declares", () => {
    for (const [stack, json] of synthesis.stacks) {
      for (const type of Object.keys(json.resource ?? {})) {
        const provider = type.split("_")[0];
        if (provider === "terraform") continue;
        if (!json.provider?.[provider]) throw new Error(`${stack} declares ${type} without a ${provider} provider`);
      }
    }
  });
});
