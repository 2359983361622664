/**
 * Several deployments in one app: distinct stacks and Azure names, each deployment's stacks
 * depending only on its own, and the dependency graph cdktf deploys by (manifest.json).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { runApp } from "./support/run-app";

const KINDS = ["network", "cluster", "secrets", "operator", "monitoring"];

const THREE_DEPLOYMENTS = {
  deployments: [
    { name: "integ", environment: "integ", location: "eastus" },
    { name: "prod-east", environment: "prod", location: "eastus" },
    { name: "prod-west", environment: "prod", location: "westus2" },
  ],
};

interface ManifestStack {
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly synthesizedStackPath: string;
}

function writeConfig(config: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "uid2-multi-")), "deployments.json");
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe("three deployments (integ, prod in eastus, prod in westus2)", () => {
  let outdir: string;
  let stacks: Record<string, ManifestStack>;

  beforeAll(async () => {
    // GIVEN three deployments WHEN the real app synthesizes them
    const result = await runApp({ UID2_CONFIG: writeConfig(THREE_DEPLOYMENTS) });
    expect(result.stderr).not.toContain("Invalid configuration");
    expect(result.code).toBe(0);
    outdir = result.outdir;
    stacks = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks;
  });

  const stackJson = (id: string) => JSON.parse(readFileSync(path.join(outdir, stacks[id].synthesizedStackPath), "utf8"));

  it("synthesizes twelve stacks with distinct names", () => {
    const expected = THREE_DEPLOYMENTS.deployments.flatMap((d) => KINDS.map((kind) => `${d.name}-${kind}`));
    expect(Object.keys(stacks).sort()).toEqual([...expected].sort());
  });

  it("gives every deployment its own Azure names", () => {
    // Names of every named azurerm resource, per deployment: no name appears in two deployments.
    const owner = new Map<string, string>();
    for (const d of THREE_DEPLOYMENTS.deployments) {
      for (const kind of KINDS) {
        const resources = stackJson(`${d.name}-${kind}`).resource ?? {};
        for (const [type, byId] of Object.entries<Record<string, { name?: unknown }>>(resources)) {
          // Subnets, secrets and collection rule associations live inside a resource of their own
          // deployment (an association's name is per cluster; the endpoint's is reserved by Azure).
          if (!type.startsWith("azurerm_") || ["azurerm_subnet", "azurerm_key_vault_secret", "azurerm_monitor_data_collection_rule_association"].includes(type)) continue;
          for (const resource of Object.values(byId)) {
            if (typeof resource.name !== "string" || resource.name.includes("${")) continue;
            const key = `${type}:${resource.name}`;
            expect(owner.get(key) ?? d.name).toBe(d.name);
            owner.set(key, d.name);
          }
        }
      }
    }
    expect(owner.size).toBeGreaterThanOrEqual(3 * 6);
  });

  it("makes cluster and secrets depend on network only, and operator on cluster and secrets", () => {
    for (const d of THREE_DEPLOYMENTS.deployments) {
      expect(stacks[`${d.name}-network`].dependencies).toEqual([]);
      expect(stacks[`${d.name}-cluster`].dependencies).toEqual([`${d.name}-network`]);
      expect(stacks[`${d.name}-secrets`].dependencies).toEqual([`${d.name}-network`]);
      expect([...stacks[`${d.name}-operator`].dependencies].sort()).toEqual([`${d.name}-cluster`, `${d.name}-network`, `${d.name}-secrets`].sort());
    }
  });

  it("never lets a deployment's stack read another deployment's state", () => {
    for (const d of THREE_DEPLOYMENTS.deployments) {
      for (const kind of KINDS) {
        const reads = Object.keys(stackJson(`${d.name}-${kind}`).data?.terraform_remote_state ?? {});
        for (const read of reads) expect(read).toMatch(new RegExp(`^cross-stack-reference-input-${d.name}-(network|cluster|secrets|operator)$`));
      }
    }
  });
});
