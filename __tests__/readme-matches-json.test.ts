/**
 * README's "Stacks" section against the synthesized JSON: every output it names exists on its
 * stack, and every arrow of the diagram is a value the consumer really reads from the producer's
 * state, and the other way round.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../lib/project-root";
import { deployment } from "./support/config";
import { appWith, declaredOutputs, synthAll, type TerraformJson } from "./support/synth";

const README = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
const KINDS = ["network", "cluster", "secrets", "operator", "monitoring"] as const;

/**
 * README's words for the values passed between stacks, and the attribute each names. cdktf
 * names the output it adds for a read `cross-stack-output-<resource type><construct id><attribute>`.
 */
const ARROW_WORDS: Readonly<Record<string, string>> = {
  "resource group name": "azurerm_resource_groupresource-groupname",
  "resource group id": "azurerm_resource_groupresource-groupid",
  location: "azurerm_resource_groupresource-grouplocation",
  "aks subnet id": "azurerm_subnetsubnet-aksid",
  "cg subnet id": "azurerm_subnetsubnet-cgid",
  "cg subnet name": "azurerm_subnetsubnet-cgname",
  "cluster name": "azurerm_kubernetes_clusterclustername",
  "vault name": "azurerm_key_vaultkey-vaultname",
  "identity resource id": "azurerm_user_assigned_identityoperator-identityid",
  "cluster id": "azurerm_kubernetes_clusterclusterid",
  "service ip": "datakubernetes_service_v1operator-servicestatus0load_balancer0ingress0ip",
};

/** `producer -> consumer` to the attributes, as README's mermaid diagram draws them. */
function readmeArrows(): Map<string, string[]> {
  const arrows = new Map<string, string[]>();
  for (const [, producer, label, consumer] of README.matchAll(/^\s*(\w+) -- "([^"]+)" --> (\w+)\s*$/gm)) {
    const words = label.split(/,|<br\/>/).map((word) => word.replace(/\(.*\)/, "").trim()).filter((word) => word !== "");
    arrows.set(`${producer} -> ${consumer}`, words);
  }
  return arrows;
}

/** Every `terraform_remote_state` read of a stack: `producer -> consumer` to the attributes read. */
function jsonArrows(stacks: Map<string, { json: TerraformJson }>, deploymentName: string, into: Map<string, Set<string>>): void {
  for (const consumer of KINDS) {
    const text = JSON.stringify(stacks.get(`${deploymentName}-${consumer}`)!.json);
    const reads = text.matchAll(/data\.terraform_remote_state\.cross-stack-reference-input-[a-z0-9-]+?-(network|cluster|secrets|operator|monitoring)\.outputs\.cross-stack-output-([A-Za-z0-9_-]+)/g);
    for (const [, producer, attribute] of reads) {
      const key = `${producer} -> ${consumer}`;
      into.set(key, (into.get(key) ?? new Set()).add(attribute));
    }
  }
}

/** The outputs column of README's stack table, by stack kind. */
function readmeOutputs(): Map<string, string[]> {
  const outputs = new Map<string, string[]>();
  for (const [, kind, column] of README.matchAll(/^\| `<name>-(\w+)` \|[^|]*\|([^|]*)\|$/gm)) {
    outputs.set(kind, [...column.matchAll(/`([a-z_]+)`/g)].map((match) => match[1]));
  }
  return outputs;
}

describe("README's Stacks section", () => {
  // GIVEN the stacks of the default settings, and of a vault restricted to the cg subnet
  // (the only setting that adds a value passed between stacks)
  const open = synthAll(appWith(deployment()));
  const restricted = synthAll(appWith(deployment({ secrets: { restrictNetwork: true } })));

  it("names outputs that exist, on the stack it names them for", () => {
    const table = readmeOutputs();
    expect([...table.keys()].sort()).toEqual([...KINDS].sort());
    for (const [kind, names] of table) {
      expect(names.length).toBeGreaterThan(0);
      const declared = Object.keys(declaredOutputs(open.get(`integ-${kind}`)!.json));
      expect({ kind, names: names.filter((name) => !declared.includes(name)) }).toEqual({ kind, names: [] });
    }
  });

  it("mentions as outputs only names some stack declares", () => {
    const declared = new Set([...open.values()].flatMap((stack) => Object.keys(declaredOutputs(stack.json))));
    const mentioned = [...README.matchAll(/`([a-z_]+)` output/g)].map((match) => match[1]);
    expect(mentioned.length).toBeGreaterThan(0);
    expect(mentioned.filter((name) => !declared.has(name))).toEqual([]);
  });

  it("draws exactly the values each stack reads from another's state", () => {
    // WHEN the diagram's arrows are compared with the remote-state reads of the JSON
    const fromJson = new Map<string, Set<string>>();
    jsonArrows(open, "integ", fromJson);
    jsonArrows(restricted, "integ", fromJson);
    const drawn = new Map([...readmeArrows()].map(([arrow, words]) => [arrow, words.map((word) => ARROW_WORDS[word] ?? `unknown words "${word}"`)]));
    // THEN every arrow is a read, and every read is drawn, with the same values
    expect(new Map([...drawn].map(([arrow, attributes]) => [arrow, [...attributes].sort()]))).toEqual(
      new Map([...fromJson].map(([arrow, attributes]) => [arrow, [...attributes].sort()])),
    );
  });
});
