/**
 * Terraform Cloud from zero, through the real cdktf CLI against the stand-in Terraform and the
 * stand-in Terraform Cloud (support/fake-tfc.ts): what fails without the bootstrap, as README's
 * troubleshooting rows say, and what the runbook leaves in the organization. The runbook itself
 * runs as written in e2e/runbooks.test.ts.
 */
import { execFile } from "child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../lib/project-root";
import { sectionCodeLines } from "../support/doc-blocks";
import { RUNBOOKS } from "../support/documented-runbooks";
import { startFakeTfc } from "../support/fake-tfc";
import { runRunbook, type CommandRun } from "../support/runbook-harness";

const TFC_RUNBOOK = RUNBOOKS.find((r) => r.heading === "### First deployment with Terraform Cloud")!;
const LINES = sectionCodeLines("README.md", TFC_RUNBOOK.heading);
const README = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
const workspaceFile = (dir: string, name: string) => path.join(dir, "acme", `${name}.json`);
const readWorkspace = (dir: string, name: string) => JSON.parse(readFileSync(workspaceFile(dir, name), "utf8"));
const lastOutput = (runs: readonly CommandRun[]) => runs[runs.length - 1].output;
/** The runbook's lines from the one that starts with `first`, or without those that match `skip`. */
const linesFrom = (first: string) => LINES.slice(LINES.findIndex((line) => line.startsWith(first)));

/** A README troubleshooting row's symptom: its first cell, backticks and all. */
function symptomRow(startsWith: string): string {
  const row = README.split("\n").find((line) => line.startsWith(`| ${startsWith}`));
  expect(row).toBeDefined();
  return row!;
}

describe("Terraform Cloud from zero", () => {
  const runs: Record<string, { dir: string; runs: CommandRun[] }> = {};
  beforeAll(async () => {
    /** Runs `steps` one after the other on one stand-in organization, with `between` done to its files before each later step. */
    const scenario = async (name: string, steps: string[][], between: (dir: string) => void = () => undefined) => {
      const dir = mkdtempSync(path.join(tmpdir(), "uid2-tfc-scenario-"));
      const all: CommandRun[] = [];
      for (const [i, lines] of steps.entries()) {
        if (i > 0) between(dir);
        all.push(...(await runRunbook({ ...TFC_RUNBOOK.runbook, lines }, dir)));
      }
      runs[name] = { dir, runs: all };
    };
    const bootstrap = [LINES[0]];
    await Promise.all([
      // the runbook as written, to the secrets stack (e2e/runbooks.test.ts runs all of it)
      scenario("runbook", [LINES.slice(0, LINES.findIndex((line) => line.startsWith("npx cdktf deploy integ-operator")))]),
      // a deploy before the bootstrap: the cloud backend creates the workspace, the remote run has no Azure login
      scenario("no-bootstrap", [linesFrom("npx cdktf deploy integ-network")]),
      // the bootstrap, then the secrets stack without the key
      scenario("no-key", [bootstrap, linesFrom("npx cdktf deploy integ-network").slice(0, 2)]),
      // the bootstrap, then a consumer whose TFE_TOKEN is gone
      scenario("no-token", [bootstrap, ["npx cdktf deploy integ-network integ-cluster"]], (dir) => {
        const workspace = readWorkspace(dir, "uid2-integ-cluster");
        delete workspace.vars.TFE_TOKEN;
        writeFileSync(workspaceFile(dir, "uid2-integ-cluster"), JSON.stringify(workspace));
      }),
      // a deploy before the bootstrap, then the bootstrap: the workspace exists already
      scenario("workspace-exists", [["npx cdktf deploy integ-network"], bootstrap]),
    ]);
  }, 300_000);

  it("the runbook leaves one workspace per stack, run remotely as the deployment's identity, and the key on the secrets workspace only", () => {
    const { dir, runs: done } = runs.runbook;
    expect(done.map((run) => run.code)).toEqual([0, 0, 0, 0]);
    for (const stack of ["network", "cluster", "secrets", "operator", "monitoring"]) {
      const workspace = readWorkspace(dir, `uid2-integ-${stack}`);
      expect({ stack, mode: workspace.executionMode, auth: workspace.vars.TFC_AZURE_PROVIDER_AUTH }).toEqual({ stack, mode: "remote", auth: { category: "env", sensitive: false } });
      expect({ stack, key: workspace.vars.operator_key }).toEqual({ stack, key: stack === "secrets" ? { category: "terraform", sensitive: true, setBy: "api" } : undefined });
      expect({ stack, token: workspace.vars.TFE_TOKEN?.sensitive }).toEqual({ stack, token: stack === "network" ? undefined : true });
    }
    expect(Object.keys(readWorkspace(dir, "uid2-integ-secrets").outputs)).toContain("key_vault_name");
    // the key reached no file of the stand-in organization, nor any command's output
    const typed = TFC_RUNBOOK.runbook.typed;
    for (const stack of ["network", "cluster", "secrets", "operator", "monitoring"]) expect(readFileSync(workspaceFile(dir, `uid2-integ-${stack}`), "utf8")).not.toContain(typed);
    for (const run of done) expect(run.output).not.toContain(typed);
    expect(existsSync(path.join(dir, "acme", "uid2-integ-secrets.json"))).toBe(true);
  });

  it("without the bootstrap: the cloud backend creates the workspace remote, and its run fails without Azure credentials, as README says", () => {
    const { dir, runs: done } = runs["no-bootstrap"];
    expect(done[0].code).not.toBe(0);
    expect(readWorkspace(dir, "uid2-integ-network")).toMatchObject({ executionMode: "remote", vars: {}, createdBy: "terraform init" });
    expect(lastOutput(done)).toContain("Error: building AzureRM Client: please ensure you have installed Azure CLI");
    expect(symptomRow("`Error: building AzureRM Client: please ensure you have installed Azure CLI ...`")).toContain("Deploy `tfc-bootstrap-<organization>`");
  });

  it("without npm run tfc-key: the secrets stack's remote plan has no operator_key, as README says", () => {
    const { runs: done } = runs["no-key"];
    expect(done.map((run) => run.code)).toEqual([0, 0, 1]);
    expect(lastOutput(done)).toContain("No value for required variable");
    expect(symptomRow("`No value for required variable` for `operator_key` in a remote run")).toContain("npm run tfc-key -- <name>");
  });

  it("a consumer without TFE_TOKEN cannot read the producer's outputs, with the tfe provider's message, as README says", () => {
    const { runs: done } = runs["no-token"];
    expect(done.map((run) => run.code)).toEqual([0, 1]);
    expect(lastOutput(done)).toContain("Required token could not be found. Please set the token using an input variable in the provider configuration block or by using the TFE_TOKEN environment variable.");
    expect(symptomRow("`Required token could not be found.")).toContain("deploy the bootstrap");
  });

  it("a workspace that exists already, created with other settings, makes the bootstrap fail as the tfe provider does, as README says", () => {
    const { runs: done } = runs["workspace-exists"];
    expect(done.map((run) => run.code)).toEqual([1, 1]);
    expect(lastOutput(done)).toContain("Error creating workspace uid2-integ-network for organization acme: invalid attribute");
    expect(lastOutput(done)).toContain("Name has already been taken");
    expect(symptomRow("the bootstrap fails with `Error creating workspace ...: Name has already been taken`")).toContain("terraform import");
  });
});

describe("npm run tfc-key", () => {
  function run(args: string[], env: NodeJS.ProcessEnv, stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile("npm", ["run", "--silent", "tfc-key", "--", ...args], { cwd: PROJECT_ROOT, env }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin!.end(stdin);
    });
  }

  it("refuses without a token, with a bad token, for a workspace that does not exist, and for a local backend, saying what to do", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "uid2-tfc-key-"));
    const tfc = await startFakeTfc(dir);
    try {
      const config = path.join(dir, "deployments.json");
      writeFileSync(config, JSON.stringify({ defaults: { backend: { type: "cloud", organization: "acme", workspacePrefix: "uid2-", hostname: tfc.host } }, deployments: [{ name: "integ", environment: "integ", location: "eastus" }] }));
      const local = path.join(dir, "local.json");
      writeFileSync(local, JSON.stringify({ deployments: [{ name: "integ", environment: "integ", location: "eastus" }] }));
      const { UID2_CONFIG: _c, TFE_TOKEN: _t, ...rest } = process.env;
      const env = { ...rest, HOME: dir, UID2_CONFIG: config };
      const [noToken, badToken, noWorkspace, localBackend, noKey] = await Promise.all([
        run(["integ"], env, "key"),
        run(["integ"], { ...env, TFE_TOKEN: "wrong" }, "key"),
        run(["integ"], { ...env, TFE_TOKEN: tfc.token }, "key"),
        run(["integ"], { ...env, UID2_CONFIG: local, TFE_TOKEN: tfc.token }, "key"),
        run(["integ"], { ...env, TFE_TOKEN: tfc.token }, ""),
      ]);
      expect(noToken).toMatchObject({ code: 1, stderr: `tfc-key: no Terraform Cloud token for ${tfc.host}: run terraform login ${tfc.host}, or set TFE_TOKEN\n` });
      expect(badToken.stderr).toContain("refused the token (HTTP 401)");
      expect(noWorkspace.stderr).toContain("workspace uid2-integ-secrets does not exist in organization acme, or the token may not see it: deploy tfc-bootstrap-acme first");
      expect(localBackend.stderr).toContain('keeps its state with backend.type "local", not in Terraform Cloud');
      expect(noKey.stderr).toContain("standard input held no key");
      // README's rows say the same
      expect(symptomRow("`tfc-key: no Terraform Cloud token for app.terraform.io` or `refused the token (HTTP 401)`")).toContain("run `terraform login`");
      // no request ever carried the key in a URL
      for (const request of tfc.requests) expect(request.path).not.toContain("key");
    } finally {
      await tfc.close();
    }
  });
});
