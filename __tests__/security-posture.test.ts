/**
 * SECURITY.md's claims about the synthesized JSON, read from the document itself: which stacks'
 * state holds the cluster's credentials, that every hardening option it lists is a real setting,
 * and the status of every scanner rule of its posture table, by default and with options.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { z } from "zod";
import { settingsShape } from "../lib/config/schema";
import { deepMerge } from "../lib/config/merge";
import { PROJECT_ROOT } from "../lib/project-root";
import { deployment, type Json } from "./support/config";
import { appWith, synthAll, type TerraformJson } from "./support/synth";

const SECURITY = readFileSync(path.join(PROJECT_ROOT, "SECURITY.md"), "utf8");

/** The rows of the first table after `## <heading>`, as trimmed cells, header and rule lines left out. */
function tableUnder(heading: string): string[][] {
  const section = SECURITY.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
  if (!section) throw new Error(`SECURITY.md has no section "${heading}"`);
  const lines = section.split("\n").filter((line) => line.startsWith("|"));
  return lines.slice(2).map((line) => line.slice(1, -1).split("|").map((cell) => cell.trim()));
}

type Resource = Record<string, any>;
type Stacks = Map<string, TerraformJson>;

function synthesized(overrides: Json = {}): Stacks {
  return new Map([...synthAll(appWith(deployment(overrides)))].map(([id, stack]) => [id, stack.json]));
}

/** The default deployment, synthesized once for the suite. */
const DEFAULTS = synthesized();

const resources = (stacks: Stacks, type: string): Resource[] => [...stacks.values()].flatMap((json) => Object.values(json.resource?.[type] ?? {}));
/** A nested block as cdktf writes it: an object, or a list of one. */
const block = (value: any): Resource | undefined => (Array.isArray(value) ? value[0] : value);
/** True when there is at least one resource of the type and all pass. */
const every = (stacks: Stacks, type: string, passes: (resource: Resource) => boolean) => {
  const all = resources(stacks, type);
  return all.length > 0 && all.every(passes);
};
const clusters = (passes: (cluster: Resource) => boolean) => (stacks: Stacks) => every(stacks, "azurerm_kubernetes_cluster", passes);
const nodePools = (passes: (pool: Resource) => boolean) => clusters((cluster) => passes(block(cluster.default_node_pool) ?? {}));
const vaults = (passes: (vault: Resource) => boolean) => (stacks: Stacks) => every(stacks, "azurerm_key_vault", passes);
const secrets = (passes: (secret: Resource) => boolean) => (stacks: Stacks) => every(stacks, "azurerm_key_vault_secret", passes);

/** Each rule as the scanner evaluates it on the JSON: true when it passes. */
const RULES: Record<string, (stacks: Stacks) => boolean> = {
  CKV_AZURE_5: clusters((c) => c.role_based_access_control_enabled !== false),
  CKV_AZURE_7: clusters((c) => Boolean(block(c.network_profile)?.network_policy)),
  CKV_AZURE_8: clusters((c) => block(block(c.addon_profile)?.kube_dashboard)?.enabled !== true),
  CKV_AZURE_143: nodePools((pool) => pool.node_public_ip_enabled !== true),
  CKV_AZURE_171: clusters((c) => c.automatic_upgrade_channel !== undefined && c.automatic_upgrade_channel !== "none"),
  CKV_AZURE_6: clusters((c) => (block(c.api_server_access_profile)?.authorized_ip_ranges ?? []).length > 0),
  CKV_AZURE_115: clusters((c) => c.private_cluster_enabled === true),
  CKV_AZURE_141: clusters((c) => c.local_account_disabled === true),
  CKV_AZURE_172: clusters((c) => block(c.key_vault_secrets_provider)?.secret_rotation_enabled === true),
  CKV_AZURE_229: nodePools((pool) => pool.only_critical_addons_enabled === true),
  CKV_AZURE_4: clusters((c) => c.oms_agent !== undefined),
  CKV_AZURE_116: clusters((c) => c.azure_policy_enabled === true),
  CKV_AZURE_117: clusters((c) => Boolean(c.disk_encryption_set_id)),
  CKV_AZURE_227: nodePools((pool) => pool.host_encryption_enabled === true),
  CKV_AZURE_226: nodePools((pool) => pool.os_disk_type === "Ephemeral"),
  // AKS's default with Azure CNI is 30 pods per node
  CKV_AZURE_168: nodePools((pool) => (pool.max_pods ?? 30) >= 50),
  CKV_AZURE_170: clusters((c) => c.sku_tier === "Standard" || c.sku_tier === "Premium"),
  CKV_AZURE_110: vaults((v) => v.purge_protection_enabled === true),
  CKV_AZURE_42: vaults((v) => v.purge_protection_enabled === true && v.soft_delete_retention_days >= 7),
  CKV_AZURE_109: vaults((v) => block(v.network_acls)?.default_action === "Deny"),
  CKV_AZURE_189: vaults((v) => v.public_network_access_enabled === false || (block(v.network_acls)?.ip_rules ?? []).length > 0),
  CKV2_AZURE_32: (stacks) => resources(stacks, "azurerm_private_endpoint").length > 0,
  CKV_AZURE_41: secrets((s) => s.expiration_date !== undefined),
  CKV_AZURE_114: secrets((s) => s.content_type !== undefined),
};

/** The settings the table's "with options" column may name, as configuration. */
const OPTIONS: Record<string, Json> = {
  "secrets.restrictNetwork": { secrets: { restrictNetwork: true } },
  "secrets.allowedIps": { secrets: { allowedIps: ["203.0.113.7"] } },
};

const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

describe("SECURITY.md: what each stack's state holds", () => {
  const stacks = DEFAULTS;
  const rows = tableUnder("What each stack's state holds");

  it("lists the five stacks", () => {
    expect(rows.map(([stack]) => stack)).toEqual(["`<name>-network`", "`<name>-cluster`", "`<name>-secrets`", "`<name>-operator`", "`<name>-monitoring`"]);
  });

  it("says the credential is admin-equivalent: local accounts on, no Microsoft Entra integration", () => {
    const [cluster] = resources(stacks, "azurerm_kubernetes_cluster");
    expect(cluster.local_account_disabled).toBeUndefined();
    expect(cluster.azure_active_directory_role_based_access_control).toBeUndefined();
    expect(rows.find(([stack]) => stack === "`<name>-cluster`")![2]).toContain("admin-equivalent");
  });

  it.each(rows.map(([stack, credentials]) => [stack, credentials] as const))("%s: cluster credentials in its state: %s", (stack, credentials) => {
    // The cluster's kube_config is an attribute of the cluster resource and of its data source.
    const json = stacks.get(stack.replace(/`/g, "").replace("<name>", "integ"))!;
    const holds = Boolean(json.resource?.azurerm_kubernetes_cluster) || Boolean(json.data?.azurerm_kubernetes_cluster);
    expect(holds).toBe(credentials === "yes");
  });
});

describe("SECURITY.md: hardening options", () => {
  // `group.field: value` names a setting; a lone `"value"` is another value of the one before
  const settings = tableUnder("Hardening options you can turn on").flatMap(([setting]) =>
    backticked(setting).filter((name) => !name.startsWith('"')).map((name) => name.split(":")[0]),
  );

  it.each(settings)("%s is a setting of the configuration", (key) => {
      const [group, field] = key.split(".");
      const groupSchema = settingsShape[group as keyof typeof settingsShape] as unknown as z.ZodObject | undefined;
      expect(groupSchema).toBeDefined();
      if (field !== undefined) expect(Object.keys(groupSchema!.shape)).toContain(field);
  });
});

describe("SECURITY.md: scanner posture", () => {
  const rows = tableUnder("Scanner posture").map(([rule, , status, options]) => ({ rule: rule.split(" ")[0], status, options }));

  it("has a check here for every rule of the table, and a row for every check", () => {
    expect(rows.map((r) => r.rule).sort()).toEqual(Object.keys(RULES).sort());
  });

  it.each(rows.map((r) => [r.rule, r.status] as const))("%s is %s by default", (rule, status) => {
    expect(["pass", "fail", "by design"]).toContain(status);
    // a rule "by design" or "fail" is one the JSON does not pass
    expect(RULES[rule](DEFAULTS)).toBe(status === "pass");
  });

  it.each(rows.filter((r) => r.options !== "").map((r) => [r.rule, r.options] as const))("%s: %s", (rule, options) => {
    expect(options).toMatch(/^pass with /);
    const overrides = backticked(options).map((name) => {
      expect(Object.keys(OPTIONS)).toContain(name);
      return OPTIONS[name];
    });
    expect(RULES[rule](synthesized(deepMerge(...overrides)))).toBe(true);
  });
});

describe("SECURITY.md: what the app trusts, and what it checks", () => {
  const rows = tableUnder("What the app trusts, and what it checks").map((cells) => cells[cells.length - 1]);

  it("names a test for every claim", () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rows)("holds each claim by a test that exists: %s", (cell) => {
    // GIVEN the row's test file and, where given, the words of one of its tests
    const [, file, title] = /^`([^`]+)`(?:: "(.+)")?$/.exec(cell) ?? [];
    expect(file).toBeDefined();
    const text = readFileSync(path.join(PROJECT_ROOT, "__tests__", file), "utf8");
    // THEN that file holds that test
    if (title) expect(text).toContain(title);
  });
});
