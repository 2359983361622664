/**
 * The app's stacks replace cdktf's first and last synthesis steps (TerraformStack.prepareStack and
 * toTerraform) with cheaper ones (stacks/deployment-stack.ts, lib/synthesis). These tests hold
 * them to cdktf's own output, byte for byte, for deployments that between them reach every
 * optional branch of the four stacks.
 */
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { defineDeployment } from "../main";
import { usesOwnSynthesis, VERIFIED_CDKTF_VERSION } from "../lib/synthesis/own-synthesis";
import { stackJson } from "../lib/synthesis/stack-json";
import type { DeploymentConfig } from "../lib/config/types";
import { deployment } from "./support/config";
import { expectSameFiles, readTree, runApp } from "./support/run-app";
import { CDKTF_STEPS, synthesizeFiles, type SynthesisSteps } from "./support/synthesis-steps";

const VARIED: DeploymentConfig[] = [
  deployment({ name: "integ" }),
  deployment({
    name: "prod-east",
    environment: "prod",
    location: "eastus2",
    tags: { owner: "ads-platform" },
    cluster: { kubeletRole: "least-privilege", networkPolicy: "calico" },
    secrets: { restrictNetwork: true, allowedIps: ["203.0.113.7"], manageOperatorKey: false },
    operator: { namespace: "uid2" },
    backend: { type: "azurerm", resourceGroupName: "tfstate", storageAccountName: "uid2tfstate", containerName: "tfstate" },
  }),
  withLocalChart(
    deployment({
      name: "prod-west",
      environment: "prod",
      location: "westus2",
      operator: { manifestPath: "__tests__/fixtures/manifests/release-1.yaml" },
      backend: { type: "cloud", organization: "acme", workspacePrefix: "uid2-" },
    }),
  ),
];

/** A chart directory that need not exist here: validation, which checks it, is not under test. */
function withLocalChart(d: DeploymentConfig): DeploymentConfig {
  return { ...d, virtualNode: { ...d.virtualNode, chartPath: "vendor/virtualnode" } };
}

/** Every file of the varied deployments' synthesis, with `steps` replacing the stacks' own. */
function synthesizeWith(steps: SynthesisSteps): Map<string, string> {
  return synthesizeFiles((app) => VARIED.forEach((d) => defineDeployment(app, d)), steps);
}

describe("the app's synthesis steps against cdktf's", () => {
  let stock: Map<string, string>;

  beforeAll(() => {
    // GIVEN cdktf's own synthesis of the varied deployments
    stock = synthesizeWith(CDKTF_STEPS);
  });

  it("covers 12 stacks with references between them", () => {
    expect([...stock.keys()].filter((file) => file.endsWith("cdk.tf.json"))).toHaveLength(12);
    const operator = JSON.parse(stock.get("stacks/prod-east-operator/cdk.tf.json") ?? "{}");
    expect(Object.keys(operator.data.terraform_remote_state)).toHaveLength(3);
  });

  it("writes the same bytes with the stacks' own steps", () => {
    // WHEN synthesized with the stacks' own steps THEN every file is identical
    expectSameFiles(synthesizeWith({}), stock);
  });

  it("writes the same bytes with each own step alone", () => {
    expectSameFiles(synthesizeWith({ toTerraform: CDKTF_STEPS.toTerraform }), stock);
    expectSameFiles(synthesizeWith({ prepareStack: CDKTF_STEPS.prepareStack }), stock);
  });

  it("returns from toTerraform the object cdktf's returns, which Testing.synth reads", () => {
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "uid2-equivalence-")), skipValidation: true });
    defineDeployment(app, VARIED[1]);
    const stacks = app.node.findAll().filter(TerraformStack.isStack);
    for (const stack of stacks) stack.prepareStack();
    for (const stack of stacks) expect(stackJson(stack)).toStrictEqual(CDKTF_STEPS.toTerraform(stack));
  });
});

describe("when the app's own steps run", () => {
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "uid2-equivalence-")) });
  const stack = new TerraformStack(app, "stack");

  it("runs them on the verified cdktf release, which is the one installed", () => {
    expect(stack.node.tryGetContext("cdktfVersion")).toBe(VERIFIED_CDKTF_VERSION);
    expect(usesOwnSynthesis(stack, {})).toBe(true);
  });

  it("runs cdktf's own steps when UID2_STOCK_SYNTHESIS=1", () => {
    expect(usesOwnSynthesis(stack, { UID2_STOCK_SYNTHESIS: "1" })).toBe(false);
    expect(usesOwnSynthesis(stack, { UID2_STOCK_SYNTHESIS: "0" })).toBe(true);
  });

  it("runs cdktf's own steps on any other cdktf release", () => {
    const other = new App({ outdir: mkdtempSync(path.join(tmpdir(), "uid2-equivalence-")) });
    other.node.setContext("cdktfVersion", "0.22.0");
    expect(usesOwnSynthesis(new TerraformStack(other, "stack"), {})).toBe(false);
  });

  it.each<[string, NodeJS.ProcessEnv, string]>([
    ["JSON", {}, "cdk.tf.json"],
    ["HCL", { SYNTH_HCL_OUTPUT: "true" }, "cdk.tf"],
  ])("writes the same %s files through the real app command either way", async (_format, env, stackFile) => {
    const [own, stockRun] = await Promise.all([runApp(env), runApp({ ...env, UID2_STOCK_SYNTHESIS: "1" })]);
    expect(own.code).toBe(0);
    expect(stockRun.code).toBe(0);
    const files = readTree(own.outdir);
    expect([...files.keys()].filter((file) => file.endsWith(`/${stackFile}`))).toHaveLength(8);
    expectSameFiles(files, readTree(stockRun.outdir));
  });
});
