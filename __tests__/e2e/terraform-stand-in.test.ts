/**
 * The stand-in Terraform of the runbook tests fails where Terraform would: a required variable
 * without a value, a remote-state read of a stack that is not deployed (or destroyed already),
 * a second run on a locked state, a manifest of a custom kind the cluster does not serve yet. It records variable names, never their values.
 */
import { execFile } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";

const TERRAFORM = path.join(__dirname, "..", "support", "terraform-stand-in", "terraform");

/** Two stacks as cdktf writes them: `consumer` reads `producer`'s output, and needs operator_key. */
function workspace(): { producer: string; consumer: string; log: string } {
  const root = mkdtempSync(path.join(tmpdir(), "uid2-stand-in-"));
  const stack = (name: string, config: object) => {
    const dir = path.join(root, "cdktf.out", "stacks", name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ terraform: { backend: { local: { path: `../../../terraform.${name}.tfstate` } } }, ...config }));
    return dir;
  };
  const producer = stack("integ-network", { output: { "cross-stack-output-azurerm_subnetsubnet-cgid": { value: "${azurerm_subnet.subnet-cg.id}", sensitive: true } } });
  const consumer = stack("integ-secrets", {
    variable: { operator_key: { type: "string", sensitive: true, ephemeral: true, description: "The UID2 operator key." } },
    data: { terraform_remote_state: { "from-network": { backend: "local", config: { path: "../../../terraform.integ-network.tfstate" } } } },
    output: { key_vault_name: { value: "${data.terraform_remote_state.from-network.outputs.cross-stack-output-azurerm_subnetsubnet-cgid}" } },
  });
  return { producer, consumer, log: path.join(root, "calls.log") };
}

function terraform(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TF_VAR_")));
    execFile(TERRAFORM, args, { cwd, env: { ...clean, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

describe("the stand-in terraform", () => {
  it("answers version like Terraform 1.11", async () => {
    const { producer } = workspace();
    const version = await terraform(producer, ["version", "-json"]);
    expect(JSON.parse(version.output).terraform_version).toMatch(/^1\.11\./);
  });

  it("asks for a required variable without a value (interactive) or refuses the plan (-input=false)", async () => {
    const { producer, consumer } = workspace();
    expect((await terraform(producer, ["apply", "-auto-approve"])).code).toBe(0);
    const apply = await terraform(consumer, ["apply", "-auto-approve"]);
    expect(apply).toEqual({ code: 1, output: expect.stringContaining("var.operator_key\n  The UID2 operator key.\n\n  Enter a value: ") });
    const plan = await terraform(consumer, ["plan", "-input=false", "-out", "plan"]);
    expect(plan).toEqual({ code: 1, output: expect.stringContaining("No value for required variable") });
  });

  it("refuses to read the outputs of a stack that is not deployed, and plays them once it is", async () => {
    const { producer, consumer } = workspace();
    const key = { TF_VAR_operator_key: "the key" };
    // GIVEN the producer not deployed WHEN the consumer is applied THEN it fails as Terraform would
    expect(await terraform(consumer, ["apply", "-auto-approve"], key)).toEqual({ code: 1, output: expect.stringContaining('does not have an attribute named "cross-stack-output-azurerm_subnetsubnet-cgid"') });
    // WHEN the producer is applied first THEN the consumer applies, and its outputs hold recorded values
    expect((await terraform(producer, ["apply", "-auto-approve"])).code).toBe(0);
    expect((await terraform(consumer, ["apply", "-auto-approve"], key)).code).toBe(0);
    const outputs = JSON.parse((await terraform(consumer, ["output", "-json"])).output);
    expect(outputs.key_vault_name.value).toBe("kv-acme-uid2-integ");
    // AND once the producer is destroyed, the consumer can no longer be planned
    expect((await terraform(producer, ["destroy", "-auto-approve"])).code).toBe(0);
    expect((await terraform(consumer, ["destroy", "-auto-approve"], key)).code).toBe(1);
  });

  it("refuses to plan a kubernetes_manifest of a custom resource a fresh cluster does not serve, as the kubernetes provider does", async () => {
    // GIVEN a stack with a PodMonitor (the managed Prometheus add-on's custom resource) and a core ConfigMap
    const { producer } = workspace();
    const manifest = (apiVersion: string, kind: string) => ({ manifest: { apiVersion, kind, metadata: { name: "m", namespace: "kube-system" } } });
    const file = path.join(producer, "cdk.tf.json");
    const config = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify({ ...config, resource: { kubernetes_manifest: { core: manifest("v1", "ConfigMap"), monitor: manifest("azmonitoring.coreos.com/v1", "PodMonitor") } } }));
    // WHEN it is planned THEN the plan fails on the custom kind, naming it
    expect(await terraform(producer, ["plan", "-input=false"])).toEqual({ code: 1, output: expect.stringContaining('no matches for kind "PodMonitor" in group "azmonitoring.coreos.com"') });
    // AND core and built-in kinds plan
    writeFileSync(file, JSON.stringify({ ...config, resource: { kubernetes_manifest: { core: manifest("v1", "ConfigMap"), deployment: manifest("apps/v1", "Deployment") } } }));
    expect((await terraform(producer, ["plan", "-input=false"])).code).toBe(0);
  });

  it("refuses a run on a state another run holds", async () => {
    const { producer } = workspace();
    writeFileSync(path.join(producer, "../../..", ".terraform.integ-network.tfstate.lock.info"), "{}");
    expect(await terraform(producer, ["apply", "-auto-approve"])).toEqual({ code: 1, output: expect.stringContaining("Error acquiring the state lock") });
  });

  it("records where it ran, its arguments and the names of TF_VAR_ variables, never their values", async () => {
    const { producer, consumer, log } = workspace();
    await terraform(producer, ["apply", "-auto-approve"], { RUNBOOK_LOG: log });
    await terraform(consumer, ["apply", "-auto-approve"], { RUNBOOK_LOG: log, TF_VAR_operator_key: "the secret value" });
    const calls = readFileSync(log, "utf8");
    expect(calls).not.toContain("the secret value");
    expect(calls.split("\n").filter((line) => line.startsWith("start"))).toEqual([
      `start\t${producer}\tapply -auto-approve\t`,
      `start\t${consumer}\tapply -auto-approve\tTF_VAR_operator_key `,
    ]);
    expect(existsSync(path.join(producer, "../../..", ".terraform.integ-network.tfstate.lock.info"))).toBe(false);
  });
});
