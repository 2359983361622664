/**
 * The comparison and its report, on small hand-written syntheses: what is replaced and why,
 * what changes without its text changing, what is hidden, the release decoded, and the commands
 * to run. The end-to-end suite runs the same on the app's real output.
 */
import { compareSyntheses } from "../lib/review/compare";
import { HIDDEN, type Comparison, type ItemReview, type Review } from "../lib/review/findings";
import type { JsonObject } from "../lib/manifest/types";
import { renderMarkdown } from "../lib/review/markdown";
import type { Synthesis } from "../lib/review/synthesis";

type Stacks = Record<string, { dependencies?: string[]; json: JsonObject }>;

function synthesis(stacks: Stacks): Synthesis {
  return new Map(Object.entries(stacks).map(([name, { dependencies = [], json }]) => [name, { name, dependencies, json }]));
}

function compare(base: Stacks, head: Stacks): Comparison {
  return compareSyntheses(synthesis(base), synthesis(head), { baseLabel: "`main`" });
}

function item(comparison: Comparison, stack: string, address: string): ItemReview | undefined {
  return comparison.deployments.flatMap((d) => d.stacks).find((s) => s.name === stack)?.items.find((i) => i.address === address);
}

function markdown(comparison: Comparison): string {
  const review: Review = {
    base: { ref: "main", commit: "0123456789abcdef" },
    head: { commit: "fedcba9876543210", uncommittedChanges: false },
    configuration: "each side's own config/deployments.json",
    synthesisWarnings: [],
    ...comparison,
  };
  return renderMarkdown(review);
}

const cluster = (overrides: JsonObject = {}): JsonObject => ({
  name: "aks-uid2-integ",
  resource_group_name: "${data.terraform_remote_state.cross-stack-reference-input-integ-network.outputs.rg-name}",
  location: "${data.terraform_remote_state.cross-stack-reference-input-integ-network.outputs.rg-location}",
  default_node_pool: { name: "oprnodepool", max_count: 5 },
  network_profile: { network_plugin: "azure", network_policy: "calico" },
  ...overrides,
});

const network = (groupName: string): JsonObject => ({
  resource: { azurerm_resource_group: { "resource-group": { "//": { metadata: { path: "x" } }, name: groupName, location: "eastus" } } },
  output: {
    "rg-name": { value: "${azurerm_resource_group.resource-group.name}", sensitive: true },
    "rg-location": { value: "${azurerm_resource_group.resource-group.location}", sensitive: true },
  },
});

const clusterStack = (body: JsonObject): JsonObject => ({
  data: { terraform_remote_state: { "cross-stack-reference-input-integ-network": { backend: "local" } } },
  resource: {
    azurerm_kubernetes_cluster: { cluster: body },
    azurerm_role_assignment: { kubelet: { scope: "${azurerm_kubernetes_cluster.cluster.node_resource_group_id}", role_definition_name: "Contributor", principal_id: "${azurerm_kubernetes_cluster.cluster.kubelet_identity[0].object_id}" } },
  },
});

const deployment = (groupName: string, clusterBody: JsonObject): Stacks => ({
  "integ-network": { json: network(groupName) },
  "integ-cluster": { dependencies: ["integ-network"], json: clusterStack(clusterBody) },
});

describe("an in-place change", () => {
  const comparison = compare(deployment("rg-uid2-integ", cluster()), deployment("rg-uid2-integ", cluster({ default_node_pool: { name: "oprnodepool", max_count: 8 } })));

  it("lists the changed attribute, replaces nothing and warns of nothing", () => {
    expect(item(comparison, "integ-cluster", "azurerm_kubernetes_cluster.cluster")).toMatchObject({
      status: "changed",
      changes: [{ path: "default_node_pool.max_count", before: 5, after: 8 }],
      forcedBy: [],
      warnings: [],
    });
    expect(item(comparison, "integ-cluster", "azurerm_role_assignment.kubelet")).toBeUndefined();
    expect(comparison.warnings).toEqual([]);
  });

  it("deploys only the changed stack, with the flag cdktf needs for its unselected dependency", () => {
    expect(comparison.deployments[0].deploy).toMatchObject({
      stacks: [{ name: "integ-cluster", reason: "changes" }],
      commands: ["npx cdktf deploy integ-cluster --ignore-missing-stack-dependencies"],
      flagReason: expect.stringContaining("`integ-network` has no changes and stays as deployed"),
      variables: [],
    });
  });

  it("renders the summary row and the attribute's before and after", () => {
    const text = markdown(comparison);
    expect(text).toContain("| integ | integ-cluster | changed | 0 | 0 | 1 | 0 | 1 | 0 |");
    expect(text).toContain("| `default_node_pool.max_count` | `5` | `8` |");
    expect(text).not.toContain("## Warnings");
  });
});

describe("a location change", () => {
  // GIVEN the deployment moved to another region: the network stack's resource group is replaced
  const moved = (location: string): Stacks => ({
    ...deployment("rg-uid2-integ", cluster({ location })),
    "integ-network": { json: { ...network("rg-uid2-integ"), resource: { azurerm_resource_group: { "resource-group": { name: "rg-uid2-integ", location } } } } },
  });
  const comparison = compare(moved("eastus"), moved("westus"));
  const integ = comparison.deployments[0];

  it("says the change needs a teardown and a new deployment, and why", () => {
    expect(integ.teardown).toMatch(/^this change replaces the resource group of `integ-network` \(`location` changes\), which holds the resources of `integ-cluster`\./);
    expect(integ.teardown).toContain("prevent_deletion_if_contains_resources");
  });

  it("destroys every stack from the base first, dependents first, then deploys every stack anew", () => {
    expect(integ.destroy).toMatchObject({ commands: ["npx cdktf destroy integ-cluster integ-network"], notes: [expect.stringMatching(/^run it from a checkout of `main` before this change is applied/)] });
    expect(integ.deploy).toMatchObject({ stacks: [{ name: "integ-network", reason: "deployed anew" }, { name: "integ-cluster", reason: "deployed anew" }], commands: ["npx cdktf deploy integ-network integ-cluster"] });
  });

  it("renders the teardown before the commands", () => {
    const text = markdown(comparison);
    expect(text.indexOf("> **Teardown and a new deployment:** this change replaces")).toBeGreaterThan(-1);
    expect(text.indexOf("Destroy, dependents first:")).toBeGreaterThan(text.indexOf("Teardown and a new deployment"));
    expect(text.indexOf("Deploy, dependencies first:")).toBeGreaterThan(text.indexOf("Destroy, dependents first:"));
  });

  it("keeps the in-place plan when the resource group is not replaced", () => {
    const inPlace = compare(deployment("rg", cluster()), deployment("rg", cluster({ default_node_pool: { name: "oprnodepool", max_count: 8 } })));
    expect(inPlace.deployments[0].teardown).toBeUndefined();
    expect(inPlace.deployments[0].destroy).toBeUndefined();
  });
});

describe("a Kubernetes version change", () => {
  const versions = (from: string, to: string) =>
    compare(deployment("rg", cluster({ kubernetes_version: from })), deployment("rg", cluster({ kubernetes_version: to }))).warnings.map((w) => w.message);

  it("warns when it skips minor versions, which AKS refuses, naming each step", () => {
    expect(versions("1.33", "1.36")).toEqual([
      "upgrades the AKS cluster `aks-uid2-integ` from 1.33 to 1.36 in one step: AKS upgrades a cluster in standard support one minor version at a time (only LTS or already unsupported clusters may skip), so deploy 1.34, then 1.35, then 1.36 in turn",
    ]);
    expect(versions("1.36", "1.35")).toEqual(["downgrades the AKS cluster `aks-uid2-integ` from 1.36 to 1.35: AKS does not downgrade a minor version"]);
  });

  it("says nothing of a one-minor upgrade or a patch", () => {
    expect(versions("1.35", "1.36")).toEqual([]);
    expect(versions("1.36.1", "1.36.2")).toEqual([]);
  });
});

describe("a change to a forcing argument", () => {
  const comparison = compare(deployment("rg-uid2-integ", cluster()), deployment("rg-uid2-integ", cluster({ network_profile: { network_plugin: "azure", network_policy: "azure" } })));

  it("replaces the resource, names the argument, and replaces what reads its changing attributes", () => {
    expect(item(comparison, "integ-cluster", "azurerm_kubernetes_cluster.cluster")).toMatchObject({ status: "replaced", forcedBy: ["network_profile"] });
    expect(comparison.warnings[0].message).toBe(
      "replaces the AKS cluster `aks-uid2-integ`: it is destroyed with everything running on it (virtual nodes, operator pods) and created again; the operator's public IP changes (`network_profile` changes)",
    );
    // The role assignment's own text is unchanged, but its scope and principal belong to the new cluster.
    expect(item(comparison, "integ-cluster", "azurerm_role_assignment.kubelet")).toMatchObject({
      status: "replaced",
      changes: [],
      indirect: [
        { path: "scope", because: "`azurerm_kubernetes_cluster.cluster` is replaced" },
        { path: "principal_id", because: "`azurerm_kubernetes_cluster.cluster` is replaced" },
      ],
    });
  });
});

describe("a renamed resource group read by another stack", () => {
  const comparison = compare(deployment("rg-uid2-integ", cluster()), deployment("rg-acme-uid2-integ", cluster()));

  it("replaces the group, and the cluster whose resource_group_name reads it through the network stack's output", () => {
    // The location, an argument written as a plain value, reads the same from the new group: not listed.
    expect(item(comparison, "integ-network", "azurerm_resource_group.resource-group")).toMatchObject({ status: "replaced", forcedBy: ["name"] });
    expect(item(comparison, "integ-cluster", "azurerm_kubernetes_cluster.cluster")).toMatchObject({
      status: "replaced",
      changes: [],
      indirect: [{ path: "resource_group_name", because: "output `rg-name` of `integ-network` changes" }],
    });
    expect(comparison.deployments[0].deploy!.commands).toEqual(["npx cdktf deploy integ-network integ-cluster"]);
  });

  it("hides the sensitive output's value and leaves cdktf's metadata out", () => {
    const network = comparison.deployments[0].stacks[0];
    expect(network.settings).toEqual([]);
    expect(network.items[0].changes).toEqual([{ path: "name", before: "rg-uid2-integ", after: "rg-acme-uid2-integ" }]);
  });
});

describe("the secrets stack", () => {
  const vault = (name: string): JsonObject => ({ name, soft_delete_retention_days: 30, purge_protection_enabled: true, lifecycle: { prevent_destroy: true } });
  const secrets = (vaultName: string, version: number, outputValue: string): Stacks => ({
    "prod-secrets": {
      json: {
        variable: { operator_key: { type: "string", sensitive: true, ephemeral: true } },
        output: { token: { value: outputValue, sensitive: true } },
        resource: {
          azurerm_key_vault: { "key-vault": vault(vaultName) },
          azurerm_key_vault_secret: { secret: { name: "uid2-operator-key", key_vault_id: "${azurerm_key_vault.key-vault.id}", value_wo: "${var.operator_key}", value_wo_version: version } },
        },
      },
    },
  });

  it("shows a version bump as a new operator key version, and never shows the key's source or a sensitive output", () => {
    const comparison = compare(secrets("kv-prod", 1, "old"), secrets("kv-prod", 2, "new"));
    const secret = item(comparison, "prod-secrets", "azurerm_key_vault_secret.secret")!;
    expect(secret.status).toBe("changed");
    expect(secret.notes).toEqual([
      "writes a new operator key version (value_wo_version 1 → 2): set TF_VAR_operator_key to the new value before deploying; then restart the operator pods so they read it",
    ]);
    expect(comparison.deployments[0].stacks[0].settings).toEqual([{ path: "output.token.value", before: HIDDEN, after: HIDDEN }]);
    expect(JSON.stringify(comparison)).not.toContain('"old"');
    expect(comparison.deployments[0].deploy!.variables).toEqual(["TF_VAR_operator_key"]);
    expect(markdown(comparison)).toContain('read -rs OPERATOR_KEY\nTF_VAR_operator_key="$OPERATOR_KEY" npx cdktf deploy prod-secrets\nunset OPERATOR_KEY\n');
  });

  it("warns that a renamed vault needs the key written again, keeps its old name for its retention days, and cannot go while protected", () => {
    const comparison = compare(secrets("kv-prod", 1, "x"), secrets("kv-acme-prod", 1, "x"));
    expect(comparison.warnings.map((w) => [w.address, w.message])).toEqual([
      [
        "azurerm_key_vault.key-vault",
        "replaces the Key Vault `kv-prod`: the operator key must be written again; purge protection keeps the old name reserved for 30 days (`name` changes); it has prevent_destroy, so the plan fails until that is turned off",
      ],
      ["azurerm_key_vault_secret.secret", "replaces the secret `uid2-operator-key`: the operator key is written again from TF_VAR_operator_key (`azurerm_key_vault.key-vault` is replaced)"],
    ]);
  });

  it("lists a removed stack for destruction from the base, with the variable it needs and what stops it", () => {
    const comparison = compare({ ...secrets("kv-prod", 1, "x"), "integ-x": { json: {} } }, { "integ-x": { json: {} } });
    const prod = comparison.deployments.find((d) => d.name === "prod")!;
    expect(prod.status).toBe("removed");
    expect(prod.deploy).toBeUndefined();
    expect(prod.destroy).toEqual({
      stacks: [{ name: "prod-secrets", reason: "removed" }],
      commands: ['TF_VAR_operator_key="$OPERATOR_KEY" npx cdktf destroy prod-secrets'],
      variables: ["TF_VAR_operator_key"],
      notes: [
        "run it from a checkout of `main` before this change is applied: this revision no longer synthesizes these stacks, so cdktf cannot find them",
        "TF_VAR_operator_key is needed on destroy too: read it first with read -rs OPERATOR_KEY, unset afterwards",
        "prod-secrets: destroys `kv-prod`, which has prevent_destroy: Terraform refuses until that is turned off",
      ],
    });
    expect(markdown(comparison)).toContain("### prod (removed)\n\nDestroy, dependents first:\n\n```sh\nread -rs OPERATOR_KEY\nTF_VAR_operator_key=\"$OPERATOR_KEY\" npx cdktf destroy prod-secrets\nunset OPERATOR_KEY\n");
  });
});

describe("changes Terraform's plan sees differently", () => {
  const group = (terraform: JsonObject, lifecycle: JsonObject): Stacks => ({
    "a-network": { json: { terraform, resource: { azurerm_resource_group: { rg: { name: "rg-a", lifecycle } } } } },
  });

  it("warns that a new backend needs the state migrated first", () => {
    const local = { backend: { local: { path: "../../../terraform.a-network.tfstate" } } };
    const azurerm = { backend: { azurerm: { key: "a-network.tfstate" } } };
    const comparison = compare(group(local, {}), group(azurerm, {}));
    expect(comparison.warnings).toEqual([
      {
        stack: "a-network",
        address: "terraform",
        message:
          "changes where `a-network` keeps its state: terraform init refuses until the state is moved; run `terraform init -migrate-state` in cdktf.out/stacks/a-network (with the old state still reachable) before deploying",
      },
    ]);
    expect(markdown(comparison)).toContain("| `terraform.backend.local` | `{\"path\":\"../../../terraform.a-network.tfstate\"}` | (none) |");
  });

  it("says when only meta-arguments change, so nothing in Azure does", () => {
    const comparison = compare(group({}, { prevent_destroy: true }), group({}, {}));
    expect(item(comparison, "a-network", "azurerm_resource_group.rg")).toMatchObject({
      status: "changed",
      changes: [{ path: "lifecycle.prevent_destroy", before: true }],
      notes: ["only lifecycle changes: Terraform's plan, not the resource"],
    });
  });
});

describe("added stacks and unknown resource types", () => {
  const head: Stacks = {
    "new-network": { json: { resource: { azurerm_resource_group: { rg: { name: "rg-new" } } } } },
    "new-cluster": { dependencies: ["new-network"], json: { resource: { example_thing: { x: { name: "a" } } } } },
  };

  it("calls a new data source read, not created", () => {
    const withData: Stacks = { ...head, "new-network": { json: { ...head["new-network"].json, data: { azurerm_client_config: { client: {} } } } } };
    expect(markdown(compare(head, withData))).toContain("#### `data.azurerm_client_config.client`: new data source, read at plan time");
  });

  it("deploys a new deployment's stacks in dependency order, without the flag", () => {
    const comparison = compare({}, head);
    expect(comparison.deployments[0]).toMatchObject({ name: "new", status: "added", deploy: { commands: ["npx cdktf deploy new-network new-cluster"] } });
    expect(comparison.deployments[0].deploy!.flagReason).toBeUndefined();
  });

  it("says when it has no replacement rule for a changed resource's type", () => {
    const changed: Stacks = { ...head, "new-cluster": { dependencies: ["new-network"], json: { resource: { example_thing: { x: { name: "b" } } } } } };
    const comparison = compare(head, changed);
    expect(item(comparison, "new-cluster", "example_thing.x")).toMatchObject({ status: "changed", notes: ["no replacement rule for example_thing: check `cdktf diff` to see whether it is replaced"] });
    expect(comparison.typesWithoutRules).toEqual(["example_thing"]);
    expect(comparison.replacementRules.map((rule) => rule.type)).toEqual(["azurerm_resource_group"]);
  });
});

describe("a resource whose address changes", () => {
  it("warns that the same Azure object is destroyed and created unless a moved block says otherwise", () => {
    const group = (id: string): Stacks => ({ "a-network": { json: { resource: { azurerm_resource_group: { [id]: { name: "rg-a" } } } } } });
    const comparison = compare(group("old-id"), group("new-id"));
    expect(item(comparison, "a-network", "azurerm_resource_group.new-id")!.warnings).toEqual([
      "has the name `rg-a` of `azurerm_resource_group.old-id`, which is destroyed: Terraform destroys and creates it under the new address unless a `moved` block says it is the same",
    ]);
  });
});

describe("the operator release", () => {
  const policy = (text: string) => Buffer.from(text).toString("base64");
  const deploymentManifest = (image: string, annotation: string, replicas: number): Stacks => ({
    "integ-operator": {
      json: {
        resource: {
          kubernetes_manifest: {
            operator: {
              manifest: {
                apiVersion: "apps/v1",
                kind: "Deployment",
                metadata: { name: "operator-deployment" },
                spec: {
                  replicas,
                  template: {
                    metadata: { annotations: { "microsoft.containerinstance.virtualnode.ccepolicy": annotation } },
                    spec: { containers: [{ name: "skr", image: "skr:1" }, { name: "uid2-operator", image, env: [{ name: "A", value: "a|b" }] }] },
                  },
                },
              },
            },
            service: { manifest: { apiVersion: "v1", kind: "Service", metadata: { name: "operator-svc" } } },
          },
        },
      },
    },
  });

  it("shows images, the decoded policy as a diff, and the pod template's other changes", () => {
    const comparison = compare(
      deploymentManifest("op:1", policy("package policy\nallow := false\n"), 3),
      deploymentManifest("op:2", policy("package policy\nallow := true\n"), 3),
    );
    const [release] = comparison.deployments[0].releases;
    expect(release).toEqual({
      stack: "integ-operator",
      address: "kubernetes_manifest.operator",
      status: "changed",
      images: [{ container: "uid2-operator", before: "op:1", after: "op:2" }],
      policy: {
        before: "package policy\nallow := false\n",
        after: "package policy\nallow := true\n",
        diff: "--- policy before\n+++ policy after\n@@ -1,2 +1,2 @@\n package policy\n-allow := false\n+allow := true\n",
        notes: [],
      },
      podTemplate: [],
    });
    expect(markdown(comparison)).toContain("```diff\n--- policy before\n+++ policy after\n@@ -1,2 +1,2 @@\n package policy\n-allow := false\n+allow := true\n```");
  });

  it("says when a side's annotation is not base64 text", () => {
    const comparison = compare(deploymentManifest("IMAGE_PLACEHOLDER", "CCE_POLICY_PLACEHOLDER", 3), deploymentManifest("op:2", policy("package policy\n"), 3));
    const [release] = comparison.deployments[0].releases;
    expect(release.policy!.notes).toEqual(['before: not base64: "CCE_POLICY_PLACEHOLDER"']);
    expect(release.policy!.diff).toBe("--- policy before\n+++ policy after\n@@ -0,0 +1 @@\n+package policy\n");
    expect(release.images).toEqual([{ container: "uid2-operator", before: "IMAGE_PLACEHOLDER", after: "op:2" }]);
  });

  it("has nothing to say about a Deployment whose pod template is the same", () => {
    const comparison = compare(deploymentManifest("op:1", "p", 3), deploymentManifest("op:1", "p", 5));
    expect(comparison.deployments[0].releases).toEqual([]);
    expect(markdown(comparison)).toContain("| `manifest.spec.replicas` | `3` | `5` |");
  });
});

describe("the Markdown report", () => {
  it("says when nothing changes", () => {
    const same = deployment("rg", cluster());
    expect(markdown(compare(same, same))).toContain("No infrastructure changes: every stack synthesizes to the same Terraform JSON.");
  });

  it("keeps table cells intact whatever the values hold", () => {
    const stacks = (value: string): Stacks => ({ "a-network": { json: { resource: { azurerm_resource_group: { rg: { name: "rg", tags: { t: value } } } } } } });
    const text = markdown(compare(stacks("a|b"), stacks("c`d\ne")));
    expect(text).toContain("| `tags.t` | `a\\|b` | `` c`d⏎e `` |");
  });
});

describe("values that try to break out of the report's code", () => {
  it("keeps backticks of any run length inside their code span", () => {
    // GIVEN a value holding a run of two backticks and Markdown after it
    const hostile = "Standard_D4d_v5`` **bold** [link](https://example.com) ``";
    const md = markdown(compare({ "integ-cluster": { json: clusterStack(cluster()) } }, { "integ-cluster": { json: clusterStack(cluster({ node_vm_size: hostile })) } }));
    // WHEN rendered THEN the value sits in a span fenced by three backticks, which its two-backtick runs cannot close
    expect(md).toContain(`\`\`\` ${hostile} \`\`\``);
  });
});
