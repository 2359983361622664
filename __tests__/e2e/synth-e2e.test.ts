/**
 * End to end: the real cdktf CLI, `npm run synth` and the raw app command, on the committed
 * configuration and on a refused one. Each process runs once; the tests share their output.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../lib/project-root";
import { expectSameFiles, readTree, runApp, runCdktfSynth, runNpmSynth, stackFiles, tempOutdir, type RunResult } from "../support/run-app";

const EXPECTED_STACKS = ["network", "cluster", "secrets", "operator", "monitoring"].flatMap((kind) => [`integ-${kind}`, `prod-${kind}`]);
const GHOST_STACK = path.join("stacks", "removed-network", "cdk.tf.json");

function badConfigFile(deployments: unknown[] = [{ name: "integ", environment: "integ", location: "westeurope" }]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "uid2-bad-")), "deployments.json");
  writeFileSync(file, JSON.stringify({ deployments }));
  return file;
}

/** How often `text` occurs in `output`. */
function occurrences(output: string, text: string): number {
  return output.split(text).length - 1;
}

/** An output folder holding the stack of a deployment that is no longer configured. */
function outdirWithGhostStack(): string {
  const outdir = tempOutdir();
  mkdirSync(path.join(outdir, path.dirname(GHOST_STACK)), { recursive: true });
  writeFileSync(path.join(outdir, GHOST_STACK), "{}");
  return outdir;
}

/**
 * The CLI's refusal, started with the other processes so that their waits overlap (each CLI run
 * costs seconds of start-up); its test awaits it.
 */
let cliRefusal: Promise<RunResult>;
beforeAll(() => {
  // GIVEN a rule problem in one deployment and a schema problem in another
  const file = badConfigFile([
    { name: "integ", environment: "integ", location: "westeurope" },
    { name: "prod", environment: "prod", location: "eastus", cluster: { maxCount: "8" } },
  ]);
  // WHEN the real CLI synthesizes it
  cliRefusal = runCdktfSynth({ UID2_CONFIG: file });
});

describe("synthesis of the committed configuration", () => {
  let cli: RunResult;
  let npmSynth: RunResult;
  let app: RunResult;

  beforeAll(async () => {
    // GIVEN output folders left by an earlier synthesis of a deployment since removed
    // WHEN the CLI, `npm run synth` and the app command synthesize, side by side
    [cli, npmSynth, app] = await Promise.all([runCdktfSynth({}, outdirWithGhostStack()), runNpmSynth({}, outdirWithGhostStack()), runApp()]);
  });

  it("npx cdktf synth writes one cdk.tf.json per stack into cdktf.out/stacks/<stack>/", () => {
    expect(cli.code).toBe(0);
    expect(stackFiles(cli.outdir).sort()).toEqual(EXPECTED_STACKS.map((s) => path.join("stacks", s, "cdk.tf.json")).sort());
    const network = JSON.parse(readTree(cli.outdir).get(path.join("stacks", "integ-network", "cdk.tf.json"))!);
    expect(network.resource.azurerm_subnet["subnet-cg"].name).toBe("cg");
  });

  it("npm run synth writes exactly what npx cdktf synth writes, removed stacks included", () => {
    expect(npmSynth.code).toBe(0);
    const files = readTree(npmSynth.outdir);
    expect(files.has(GHOST_STACK)).toBe(false);
    expectSameFiles(files, readTree(cli.outdir));
  });

  it("run directly, prints each configuration warning as a warning: line", () => {
    expect(app.stderr).toMatch(/^warning: integ, prod: operator.manifestPath "operator\/sample-operator.yaml" is a template/m);
  });

  it("writes byte-identical output on every run, with no absolute path of the machine", () => {
    expect(app.code).toBe(0);
    const files = readTree(app.outdir);
    expectSameFiles(files, readTree(npmSynth.outdir));
    for (const content of files.values()) {
      expect(content).not.toContain(PROJECT_ROOT);
      expect(content).not.toContain(app.outdir);
    }
  });

  it("refuses a bad configuration, and removes the output of an earlier synthesis", async () => {
    // GIVEN a folder holding a successful synthesis
    const outdir = tempOutdir();
    cpSync(app.outdir, outdir, { recursive: true });
    // WHEN a bad configuration is synthesized into it
    const result = await runApp({ UID2_CONFIG: badConfigFile() }, outdir);
    // THEN exit 1, one line per problem, no stack trace, and nothing stale left to deploy or review
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Invalid configuration:\n {2}- integ: location "westeurope" is in Europe or China/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(stackFiles(outdir)).toEqual([]);
  });
});

/** A configuration the rules refuse: maxCount below the default nodeCount. */
const REFUSED = [{ name: "integ", environment: "integ", location: "eastus", cluster: { maxCount: 1 } }];
const REFUSAL = "integ: cluster.nodeCount 2 must satisfy cluster.minCount (2) <= cluster.nodeCount <= cluster.maxCount (1)";

/** A configuration that synthesizes with a warning of its own (besides the sample template's). */
const WARNED = [{ name: "integ", environment: "integ", location: "eastus", operator: { allowedSourceRanges: ["203.0.113.0/24"] } }];
const WARNING = 'integ: operator.allowedSourceRanges ["203.0.113.0/24"] has no effect unless operator.exposure is "restricted"';

/** The CLI's output as a person reads it: colours and spinner redraws removed. */
function plainText(result: RunResult): string {
  // eslint-disable-next-line no-control-regex -- ANSI escapes are what is removed
  return (result.stdout + result.stderr).replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
}

describe("a second synthesis through the CLI, as users edit and rerun", () => {
  let goodThenBad: [RunResult, RunResult];
  let badThenGood: [RunResult, RunResult];

  beforeAll(async () => {
    // GIVEN one output folder per sequence, each synthesized twice by the real CLI
    const sequence = async (first: unknown[], second: unknown[]): Promise<[RunResult, RunResult]> => {
      const outdir = tempOutdir();
      const one = await runCdktfSynth({ UID2_CONFIG: badConfigFile(first) }, outdir);
      return [one, await runCdktfSynth({ UID2_CONFIG: badConfigFile(second) }, outdir)];
    };
    [goodThenBad, badThenGood] = await Promise.all([sequence(WARNED, REFUSED), sequence(REFUSED, WARNED)]);
  });

  it("a refusal after a good synthesis prints its problems on the first run, and leaves no deployment's stack", () => {
    const [good, bad] = goodThenBad;
    expect(good.code).toBe(0);
    expect(bad.code).not.toBe(0);
    const seen = plainText(bad);
    expect(seen).not.toContain("ENOENT");
    expect(occurrences(seen, `ERROR [configuration]: ${REFUSAL}`)).toBe(1);
    expect(stackFiles(bad.outdir)).toEqual([path.join("stacks", "configuration", "cdk.tf.json")]);
  });

  it("a good synthesis after a refusal writes every stack and drops the refusal's", () => {
    const [bad, good] = badThenGood;
    expect(bad.code).not.toBe(0);
    expect(occurrences(plainText(bad), REFUSAL)).toBe(1);
    expect(good.code).toBe(0);
    expect(stackFiles(good.outdir).sort()).toEqual(["cluster", "monitoring", "network", "operator", "secrets"].map((k) => path.join("stacks", `integ-${k}`, "cdk.tf.json")));
  });

  it("shows each configuration warning once, as a WARN annotation, never as an error", () => {
    const seen = plainText(goodThenBad[0]);
    expect(occurrences(seen, `WARN [integ-network]: ${WARNING}`)).toBe(1);
    expect(occurrences(seen, WARNING)).toBe(1);
    expect(seen).not.toMatch(/\[ERROR\][^\n]*warning/);
    expect(seen).not.toContain("warning: ");
  });
});

describe("refused configurations", () => {
  it("npx cdktf synth exits non-zero, prints every problem of every stage once, and writes no deployment's stack", async () => {
    // GIVEN and WHEN: see cliRefusal
    const result = await cliRefusal;
    // THEN it fails, and the user sees each problem exactly once
    expect(result.code).not.toBe(0);
    const seen = result.stdout + result.stderr;
    expect(occurrences(seen, 'integ: location "westeurope" is in Europe or China')).toBe(1);
    expect(occurrences(seen, 'prod: cluster.maxCount "8" must be a number')).toBe(1);
    // AND nothing of a deployment was written
    expect(stackFiles(result.outdir).filter((file) => /(integ|prod)-/.test(file))).toEqual([]);
  });

  it("reports a missing configuration file with its path", async () => {
    const result = await runApp({ UID2_CONFIG: "/nonexistent/deployments.json" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("/nonexistent/deployments.json: configuration file does not exist");
  });
});
