/**
 * The example configurations README shows, as files under config/examples/: each is validated,
 * synthesized once, checked for what it is an example of, and snapshotted (a review aid beside
 * those assertions). README's examples must be these files, so they cannot drift apart.
 */
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { loadConfig } from "../lib/config/load";
import { VIRTUAL_NODE_ACTIONS } from "../constructs/kubelet-roles";
import { PROJECT_ROOT } from "../lib/project-root";
import { REPLACEMENT_RULES } from "../lib/review/replacement-rules";
import { codeBlocks, README } from "./support/readme-sections";
import { appWith, onlyResource, synthAll, type SynthesizedStack, type TerraformJson } from "./support/synth";

const EXAMPLES_DIR = path.join(PROJECT_ROOT, "config", "examples");
const EXAMPLES = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith(".json")).sort();

function example(file: string): unknown {
  return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), "utf8"));
}

/** Each example synthesized once, every stack by id. */
const synthesized = new Map(EXAMPLES.map((file) => [file, synthAll(appWith(...loadConfig(path.join(EXAMPLES_DIR, file)).deployments))]));

function stacksOf(file: string): Map<string, SynthesizedStack> {
  return synthesized.get(file)!;
}

function json(file: string, stack: string): TerraformJson {
  return stacksOf(file).get(stack)!.json;
}

describe("config/examples", () => {
  it("holds the examples README shows: Terraform Cloud, azurerm backend, several regions, least privilege, restricted vault, monitoring", () => {
    expect(EXAMPLES).toEqual([
      "azurerm-backend.json",
      "least-privilege.json",
      "monitoring.json",
      "name-prefix-and-tags.json",
      "restricted-vault.json",
      "several-regions.json",
      "terraform-cloud.json",
    ]);
  });

  it.each(EXAMPLES)("%s is valid and README links it", (file) => {
    // GIVEN the example WHEN loaded as the app loads a configuration THEN it validates
    expect(() => loadConfig(path.join(EXAMPLES_DIR, file))).not.toThrow();
    expect(README).toContain(`config/examples/${file}`);
  });

  it("is what README's configuration examples show, so neither can change alone", () => {
    // GIVEN every JSON block of README that is a configuration file
    const shown = codeBlocks(README, "json").map((block) => JSON.parse(block) as { deployments?: unknown });
    const configurations = shown.filter((block) => block.deployments !== undefined);
    expect(configurations.length).toBeGreaterThanOrEqual(2);
    // THEN each is one of the example files, verbatim
    const files = EXAMPLES.map(example);
    for (const block of configurations) expect(files).toContainEqual(block);
  });

  it("pins every provider of every stack to an exact version, tfe included (CI's terraform validate uses these)", () => {
    const pins = new Map<string, Set<string>>();
    for (const stacks of synthesized.values()) {
      for (const stack of stacks.values()) {
        for (const [name, provider] of Object.entries<{ version: string }>(stack.json.terraform.required_providers)) pins.set(name, (pins.get(name) ?? new Set()).add(provider.version));
      }
    }
    expect([...pins.keys()].sort()).toEqual(["azurerm", "helm", "kubernetes", "tfe"]);
    for (const [name, versions] of pins) expect({ name, versions: [...versions] }).toEqual({ name, versions: [expect.stringMatching(/^\d+\.\d+\.\d+$/)] });
  });

  it("synthesizes only resource types the review knows the replacement rules of", () => {
    const types = new Set([...synthesized.values()].flatMap((stacks) => [...stacks.values()].flatMap((stack) => Object.keys(stack.json.resource ?? {}))));
    expect([...types].filter((type) => REPLACEMENT_RULES[type] === undefined)).toEqual([]);
    expect(types.size).toBeGreaterThanOrEqual(15);
  });

  it("has README's state backend table show the backends of the backend examples", () => {
    const spans = [...README.matchAll(/`(\{ "type": [^`]+\})`/g)].map((match) => JSON.parse(match[1]));
    for (const file of ["terraform-cloud.json", "azurerm-backend.json"]) {
      expect(spans).toContainEqual((example(file) as { defaults: { backend: unknown } }).defaults.backend);
    }
  });
});

describe("terraform-cloud.json", () => {
  const file = "terraform-cloud.json";

  it("keeps each stack in its own workspace and reads other stacks through tfe_outputs", () => {
    for (const [id, stack] of [...stacksOf(file)].filter(([id]) => !id.startsWith("tfc-bootstrap-"))) {
      expect(stack.json.terraform.cloud).toEqual({ hostname: "app.terraform.io", organization: "acme", workspaces: { name: `uid2-${id}`, project: "uid2" } });
      expect(stack.json.data?.terraform_remote_state).toBeUndefined();
    }
    expect(json(file, "prod-operator").data?.tfe_outputs?.["cross-stack-reference-input-prod-secrets"]).toEqual({ organization: "acme", workspace: "uid2-prod-secrets" });
  });
});

describe("azurerm-backend.json", () => {
  const file = "azurerm-backend.json";
  const account = { container_name: "tfstate", resource_group_name: "rg-tfstate", storage_account_name: "acmetfstate", use_azuread_auth: true };

  it("keeps each stack's state in its own blob, read with Azure AD, and reads other stacks from there", () => {
    for (const [id, stack] of stacksOf(file)) expect(stack.json.terraform.backend).toEqual({ azurerm: { ...account, key: `${id}.tfstate` } });
    expect(json(file, "integ-cluster").data?.terraform_remote_state?.["cross-stack-reference-input-integ-network"]).toMatchObject({
      backend: "azurerm",
      config: { ...account, key: "integ-network.tfstate" },
    });
  });
});

describe("several-regions.json", () => {
  const file = "several-regions.json";

  it("gives each deployment its five stacks, its region and its own names", () => {
    expect(stacksOf(file).size).toBe(15);
    expect(onlyResource(json(file, "prod-west-network"), "azurerm_resource_group")).toMatchObject({ name: "rg-acme-uid2-prod-west", location: "westus2" });
    expect(onlyResource(json(file, "prod-east-network"), "azurerm_resource_group")).toMatchObject({ name: "rg-acme-uid2-prod-east", location: "eastus" });
    const vaults = ["integ", "prod-east", "prod-west"].map((d) => onlyResource(json(file, `${d}-secrets`), "azurerm_key_vault").name);
    expect(new Set(vaults).size).toBe(3);
  });
});

describe("monitoring.json", () => {
  const file = "monitoring.json";

  it("monitors integ and prod, routing prod's alerts to both groups, and leaves the sandbox without a monitoring stack", () => {
    expect([...stacksOf(file).keys()].filter((stack) => stack.endsWith("-monitoring")).sort()).toEqual(["integ-monitoring", "prod-monitoring"]);
    const [prodRules] = Object.values(json(file, "prod-monitoring").resource!.azurerm_monitor_alert_prometheus_rule_group);
    expect(prodRules.rule[0].action).toEqual([
      { action_group_id: "${azurerm_monitor_action_group.action-group.id}" },
      { action_group_id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-acme-ops/providers/microsoft.insights/actionGroups/ag-acme-oncall" },
    ]);
    // integ is internal: no availability test; prod is public: one
    expect(json(file, "integ-monitoring").resource!.azurerm_application_insights_standard_web_test).toBeUndefined();
    expect(Object.keys(json(file, "prod-monitoring").resource!.azurerm_application_insights_standard_web_test)).toHaveLength(1);
  });
});

describe("least-privilege.json", () => {
  const file = "least-privilege.json";

  it("grants the kubelet identity a custom role with only the virtual nodes' actions, not Contributor", () => {
    const cluster = json(file, "integ-cluster");
    expect(onlyResource(cluster, "azurerm_role_definition").permissions).toEqual([{ actions: [...VIRTUAL_NODE_ACTIONS] }]);
    const kubelet = Object.entries(cluster.resource!.azurerm_role_assignment).filter(([name]) => name.startsWith("kubelet-roles"));
    expect(kubelet).toHaveLength(2);
    for (const [, assignment] of kubelet) {
      expect(assignment.role_definition_name).toBeUndefined();
      expect(assignment.role_definition_id).toMatch(/^\$\{azurerm_role_definition\./);
    }
  });
});

describe("restricted-vault.json", () => {
  const file = "restricted-vault.json";

  it("denies the vault to all but the cg subnet and the listed addresses", () => {
    expect(onlyResource(json(file, "prod-secrets"), "azurerm_key_vault").network_acls).toMatchObject({
      default_action: "Deny",
      ip_rules: ["203.0.113.7", "198.51.100.0/30"],
      virtual_network_subnet_ids: [expect.stringContaining("subnet-cg")],
    });
    expect(json(file, "prod-network").resource!.azurerm_subnet["subnet-cg"].service_endpoints).toEqual(["Microsoft.KeyVault"]);
  });

  it("lets only the listed range reach the operator's Service, and monitors it from inside the cluster only", () => {
    const service = Object.values(json(file, "prod-operator").resource!.kubernetes_manifest).map((m: any) => m.manifest).find((m: any) => m.kind === "Service");
    expect(service.spec.loadBalancerSourceRanges).toEqual(["198.51.100.0/24"]);
    expect(json(file, "prod-monitoring").resource!.azurerm_application_insights_standard_web_test).toBeUndefined();
  });
});

describe("name-prefix-and-tags.json", () => {
  const file = "name-prefix-and-tags.json";

  it("prefixes the names, tags every resource group and overrides prod's maxCount only", () => {
    expect(onlyResource(json(file, "integ-network"), "azurerm_resource_group")).toMatchObject({ name: "rg-acme-uid2-integ", tags: { "cost-center": "ads" } });
    expect(onlyResource(json(file, "prod-cluster"), "azurerm_kubernetes_cluster").default_node_pool.max_count).toBe(8);
    expect(onlyResource(json(file, "integ-cluster"), "azurerm_kubernetes_cluster").default_node_pool.max_count).toBe(5);
  });
});

describe("synthesized stacks of each example", () => {
  const cases = EXAMPLES.flatMap((file) => [...stacksOf(file).keys()].sort().map((id) => [file, id] as const));

  it.each(cases)("%s: %s matches its reviewed snapshot", (file, id) => {
    expect(stacksOf(file).get(id)!.json).toMatchSnapshot();
  });
});
