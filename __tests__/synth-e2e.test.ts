/**
 * End to end: the real app command and the real cdktf CLI, on the committed configuration and on
 * a refused one.
 */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../lib/project-root";
import { expectSameFiles, readTree, runApp, runCdktfSynth, stackFiles, tempOutdir } from "./support/run-app";

const EXPECTED_STACKS = ["network", "cluster", "secrets", "operator"].flatMap((kind) => [`integ-${kind}`, `prod-${kind}`]);

function badConfigFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "uid2-bad-")), "deployments.json");
  writeFileSync(file, JSON.stringify({ deployments: [{ name: "integ", environment: "integ", location: "westeurope" }] }));
  return file;
}

describe("npx cdktf synth", () => {
  it("synthesizes every stack of the default configuration into cdktf.out/stacks/<stack>/cdk.tf.json", async () => {
    // GIVEN the committed configuration WHEN the real CLI synthesizes
    const result = await runCdktfSynth();
    // THEN it succeeds and writes one cdk.tf.json per stack
    expect(result.code).toBe(0);
    expect(stackFiles(result.outdir).sort()).toEqual(EXPECTED_STACKS.map((s) => path.join("stacks", s, "cdk.tf.json")).sort());
    const network = JSON.parse(readTree(result.outdir).get(path.join("stacks", "integ-network", "cdk.tf.json"))!);
    expect(network.resource.azurerm_subnet["subnet-cg"].name).toBe("cg");
  });

  it("refuses a bad configuration with a non-zero exit, the problem, and no cdk.tf.json", async () => {
    const result = await runCdktfSynth({ UID2_CONFIG: badConfigFile() });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('integ: location "westeurope" is in Europe or China');
    expect(stackFiles(result.outdir)).toEqual([]);
  });
});

describe("the app command", () => {
  it("writes byte-identical output on two runs, with no absolute path of the machine", async () => {
    // GIVEN two runs into different folders
    const [first, second] = await Promise.all([runApp(), runApp()]);
    expect(first.code).toBe(0);
    // THEN every file is identical
    const a = readTree(first.outdir);
    expectSameFiles(readTree(second.outdir), a);
    // AND no file mentions the project folder or the output folder
    for (const content of a.values()) {
      expect(content).not.toContain(PROJECT_ROOT);
      expect(content).not.toContain(first.outdir);
    }
  });

  it("refuses a bad configuration: exit 1, one line per problem, no stack trace, nothing written", async () => {
    const result = await runApp({ UID2_CONFIG: badConfigFile() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Invalid configuration:\n {2}- integ: location "westeurope" is in Europe or China/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(stackFiles(result.outdir)).toEqual([]);
  });

  it("reports a missing configuration file with its path", async () => {
    const result = await runApp({ UID2_CONFIG: "/nonexistent/deployments.json" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("/nonexistent/deployments.json: configuration file does not exist");
  });

  it("removes the output of an earlier synthesis when the configuration is refused", async () => {
    // GIVEN a successful synthesis in a folder
    const outdir = tempOutdir();
    expect((await runApp({}, outdir)).code).toBe(0);
    expect(stackFiles(outdir).length).toBeGreaterThan(0);
    // WHEN a bad configuration is synthesized into the same folder
    const result = await runApp({ UID2_CONFIG: badConfigFile() }, outdir);
    // THEN nothing stale is left to deploy or review
    expect(result.code).toBe(1);
    expect(stackFiles(outdir)).toEqual([]);
  });
});
