/**
 * Guards that speak under every backend: Terraform prints a failed condition's `error_message`
 * only when the message holds no sensitive value ("This check failed, but has an invalid error
 * message" otherwise). Values read from another stack are sensitive under the cloud backend
 * (`tfe_outputs.values`) and, as cdktf marks its cross-stack outputs sensitive, under every other
 * backend too; sensitive variables are sensitive everywhere. So no message may read either.
 */
import { deployment, type Json } from "./support/config";
import { appWith, synthAll, type TerraformJson } from "./support/synth";

const BACKENDS: Readonly<Record<string, Json>> = {
  local: { type: "local" },
  cloud: { type: "cloud", organization: "acme", workspacePrefix: "uid2-", project: "uid2" },
  azurerm: { type: "azurerm", resourceGroupName: "rg-tfstate", storageAccountName: "sttfstate", containerName: "tfstate" },
};

/** Every `error_message` of a stack: preconditions and postconditions of resources, data sources and outputs, checks, variable validations. */
function errorMessages(json: TerraformJson): { where: string; message: string }[] {
  const found: { where: string; message: string }[] = [];
  const lifecycleOf = (where: string, body: Record<string, any>) => {
    for (const kind of ["precondition", "postcondition"]) {
      for (const condition of body.lifecycle?.[kind] ?? []) found.push({ where: `${where} ${kind}`, message: condition.error_message });
    }
  };
  for (const [type, byName] of Object.entries(json.resource ?? {})) for (const [name, body] of Object.entries(byName)) lifecycleOf(`${type}.${name}`, body);
  for (const [type, byName] of Object.entries(json.data ?? {})) for (const [name, body] of Object.entries(byName)) lifecycleOf(`data.${type}.${name}`, body);
  for (const [name, body] of Object.entries(json.output ?? {})) for (const condition of body.precondition ?? []) found.push({ where: `output.${name} precondition`, message: condition.error_message });
  for (const [name, body] of Object.entries((json as { check?: Record<string, any> }).check ?? {})) for (const assert of body.assert ?? []) found.push({ where: `check.${name}`, message: assert.error_message });
  for (const [name, body] of Object.entries(json.variable ?? {})) for (const validation of body.validation ?? []) found.push({ where: `variable.${name} validation`, message: validation.error_message });
  return found;
}

/** What in a message would make Terraform suppress it: another stack's outputs, or a sensitive variable of the stack. */
function sensitiveReads(json: TerraformJson, message: string): string[] {
  const sensitiveVariables = Object.entries(json.variable ?? {}).filter(([, v]) => v.sensitive === true || v.ephemeral === true).map(([name]) => name);
  const patterns = [/data\.tfe_outputs\.[\w-]+/g, /data\.terraform_remote_state\.[\w-]+/g, ...sensitiveVariables.map((name) => new RegExp(`var\\.${name}\\b`, "g"))];
  return patterns.flatMap((pattern) => message.match(pattern) ?? []);
}

describe.each(Object.keys(BACKENDS))("condition messages with the %s backend", (backend) => {
  // GIVEN a deployment on this backend, with the settings that add conditions
  const stacks = synthAll(appWith(deployment({ backend: BACKENDS[backend], monitoring: { alertEmails: ["ops@example.com"] } })));
  const messages = [...stacks].flatMap(([stack, { json }]) => errorMessages(json).map((m) => ({ stack, ...m, reads: sensitiveReads(json, m.message) })));

  it("finds the conditions (the walk is not empty)", () => {
    expect(messages.map((m) => `${m.stack}: ${m.where}`)).toEqual(
      expect.arrayContaining([
        "integ-network: azurerm_resource_group.resource-group precondition",
        "integ-cluster: azurerm_kubernetes_cluster.cluster precondition",
        expect.stringMatching(/^integ-operator: data\.kubernetes_nodes\.virtual-node-readiness_virtual-nodes_[0-9A-F]+ postcondition$/),
      ]),
    );
  });

  it("reads no value from another stack's state and no sensitive variable in any message", () => {
    expect(messages.filter((m) => m.reads.length > 0).map((m) => `${m.stack}: ${m.where} reads ${m.reads.join(", ")}`)).toEqual([]);
  });

  it("names the configured region and the cg subnet in plain text", () => {
    const cluster = messages.find((m) => m.stack === "integ-cluster" && m.where.startsWith("azurerm_kubernetes_cluster"))!;
    expect(cluster.message).toContain("AKS does not offer Kubernetes 1.36 in eastus, so");
    const nodes = messages.find((m) => m.stack === "integ-operator" && m.where.includes("virtual-nodes"))!;
    expect(nodes.message).toContain("the cg subnet, which must be delegated");
  });
});

describe("the check itself", () => {
  it("catches a message that reads another stack's output or a sensitive variable", () => {
    const json = { terraform: {}, variable: { operator_key: { sensitive: true, ephemeral: true } } } as TerraformJson;
    expect(sensitiveReads(json, "in ${data.tfe_outputs.cross-stack-reference-input-integ-network.values.location}")).toEqual(["data.tfe_outputs.cross-stack-reference-input-integ-network"]);
    expect(sensitiveReads(json, "key ${var.operator_key}")).toEqual(["var.operator_key"]);
    expect(sensitiveReads(json, "in eastus")).toEqual([]);
  });
});
