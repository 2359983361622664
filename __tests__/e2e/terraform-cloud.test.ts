/**
 * Terraform Cloud from zero: the failures README's troubleshooting rows describe, reproduced with
 * the stand-in Terraform playing the cloud backend (support/terraform-stand-in) over a stand-in
 * organization, and `npm run tfc-key` against the stand-in API (support/fake-tfc.ts). The first,
 * a deploy before the bootstrap, goes through the real cdktf CLI; the others run the stand-in
 * Terraform in the synthesized stacks directly, as cdktf would. The runbook itself runs as
 * written in e2e/runbooks.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../lib/project-root";
import { RUNBOOKS } from "../support/documented-runbooks";
import { startFakeTfc, type FakeTfc } from "../support/fake-tfc";
import { README } from "../support/readme-sections";
import { execute, FAKE_TFC_HOST, runRunbook, type CommandRun } from "../support/runbook-harness";
import { runApp } from "../support/run-app";

const TFC_RUNBOOK = RUNBOOKS.find((r) => r.heading === "### First deployment with Terraform Cloud")!;
const STAND_IN = path.join(__dirname, "..", "support", "terraform-stand-in", "terraform");

/** A README troubleshooting row, found by the start of its symptom cell. */
function symptomRow(startsWith: string): string {
  const row = README.split("\n").find((line) => line.startsWith(`| ${startsWith}`));
  expect(row).toBeDefined();
  return row!;
}

type Result = Awaited<ReturnType<typeof execute>>;

const servers: FakeTfc[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));

/** One stand-in organization with its API, the stacks of the runbook's configuration synthesized for it, and a way to run Terraform in them. */
async function organization() {
  const dir = mkdtempSync(path.join(tmpdir(), "uid2-tfc-org-"));
  const tfc = await startFakeTfc(path.join(dir, "tfc"));
  servers.push(tfc);
  const config = path.join(dir, "deployments.json");
  writeFileSync(config, JSON.stringify(TFC_RUNBOOK.runbook.config).split(FAKE_TFC_HOST).join(tfc.host));
  const outdir = path.join(dir, "cdktf.out");
  const synthesized = await runApp({ UID2_CONFIG: config }, outdir);
  expect(synthesized.code).toBe(0);
  const { TFE_TOKEN: _token, ...rest } = process.env;
  const env = { ...rest, STAND_IN_TFC_DIR: path.join(dir, "tfc"), CHECKPOINT_DISABLE: "1" };
  const terraform = async (stack: string, ...commands: string[][]): Promise<Result> => {
    let last: Result = { code: 0, output: "" };
    for (const args of commands) {
      last = await execute(STAND_IN, args, { cwd: path.join(outdir, "stacks", stack), env });
      if (last.code !== 0) return last;
    }
    return last;
  };
  const deploy = (stack: string) => terraform(stack, ["init"], ["apply", "-auto-approve", "-input=false"]);
  const workspaceFile = (name: string) => path.join(dir, "tfc", "acme", `${name}.json`);
  const tfcKey = (deployment: string, key: string) =>
    execute("npm", ["run", "--silent", "tfc-key", "--", deployment], { cwd: PROJECT_ROOT, env: { ...env, UID2_CONFIG: config, TFE_TOKEN: tfc.token } }, key);
  return { dir, deploy, terraform, workspaceFile, tfcKey };
}

describe("Terraform Cloud from zero: what fails, and what README says to do", () => {
  let beforeBootstrap: CommandRun[];
  beforeAll(async () => {
    // GIVEN nothing in the organization WHEN the network stack is deployed through the real cdktf CLI
    beforeBootstrap = await runRunbook({ ...TFC_RUNBOOK.runbook, lines: ["npx cdktf deploy integ-network"] }, mkdtempSync(path.join(tmpdir(), "uid2-tfc-")));
  }, 120_000);

  it("without the bootstrap: the cloud backend creates the workspace with the organization's defaults, and the remote run has no Azure login", () => {
    expect(beforeBootstrap.map((run) => run.code)).toEqual([1]);
    const workspace = JSON.parse(readFileSync(path.join(beforeBootstrap[0].tfcDir!, "acme", "uid2-integ-network.json"), "utf8"));
    expect(workspace).toMatchObject({ executionMode: "remote", vars: {}, createdBy: "terraform init" });
    expect(beforeBootstrap[0].output).toContain("Error: building AzureRM Client: please ensure you have installed Azure CLI");
    expect(symptomRow("`Error: building AzureRM Client: please ensure you have installed Azure CLI ...`")).toContain("Deploy `tfc-bootstrap-<organization>`");
  });

  it("without npm run tfc-key: the secrets stack's remote plan has no operator_key; with it, the secrets stack deploys", async () => {
    const org = await organization();
    expect((await org.deploy("tfc-bootstrap-acme")).code).toBe(0);
    expect((await org.deploy("integ-network")).code).toBe(0);
    const noKey = await org.deploy("integ-secrets");
    expect(noKey).toMatchObject({ code: 1, output: expect.stringContaining("No value for required variable") });
    expect(symptomRow("`No value for required variable` for `operator_key` in a remote run")).toContain("npm run tfc-key -- <name>");
    // WHEN the key is set as README says THEN the same deploy succeeds
    expect(await org.tfcKey("integ", "the key")).toEqual({ code: 0, output: "operator_key set on workspace uid2-integ-secrets (sensitive: Terraform Cloud will not show it again)\n" });
    expect((await org.deploy("integ-secrets")).code).toBe(0);
    // AND a second run replaces it (a rotation)
    expect((await org.tfcKey("integ", "the new key")).output).toContain("operator_key replaced on workspace uid2-integ-secrets");
    expect(readFileSync(org.workspaceFile("uid2-integ-secrets"), "utf8")).not.toContain("the new key");
  });

  it("a consumer without TFE_TOKEN cannot read the producer's outputs, with the tfe provider's message", async () => {
    const org = await organization();
    expect((await org.deploy("tfc-bootstrap-acme")).code).toBe(0);
    expect((await org.deploy("integ-network")).code).toBe(0);
    const workspace = JSON.parse(readFileSync(org.workspaceFile("uid2-integ-cluster"), "utf8"));
    delete workspace.vars.TFE_TOKEN;
    writeFileSync(org.workspaceFile("uid2-integ-cluster"), JSON.stringify(workspace));
    const cluster = await org.deploy("integ-cluster");
    expect(cluster).toMatchObject({ code: 1, output: expect.stringContaining("Required token could not be found. Please set the token using an input variable in the provider configuration block or by using the TFE_TOKEN environment variable.") });
    expect(symptomRow("`Required token could not be found.")).toContain("deploy the bootstrap");
  });

  it("a workspace that exists already, created with other settings, makes the bootstrap fail as the tfe provider does", async () => {
    const org = await organization();
    // GIVEN the workspace created by an earlier deploy (terraform init of the cloud backend)
    await org.terraform("integ-network", ["init"]);
    const bootstrap = await org.deploy("tfc-bootstrap-acme");
    expect(bootstrap.code).toBe(1);
    expect(bootstrap.output).toContain("Error creating workspace uid2-integ-network for organization acme: invalid attribute");
    expect(bootstrap.output).toContain("Name has already been taken");
    expect(symptomRow("the bootstrap fails with `Error creating workspace ...: Name has already been taken`")).toContain("terraform import");
  });
});

describe("npm run tfc-key", () => {
  it("refuses without a token, with a bad token, for a workspace that does not exist, for a local backend and without a key, saying what to do", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "uid2-tfc-key-"));
    const tfc = await startFakeTfc(dir);
    try {
      const config = path.join(dir, "deployments.json");
      writeFileSync(config, JSON.stringify({ defaults: { backend: { type: "cloud", organization: "acme", workspacePrefix: "uid2-", hostname: tfc.host } }, deployments: [{ name: "integ", environment: "integ", location: "eastus" }] }));
      const local = path.join(dir, "local.json");
      writeFileSync(local, JSON.stringify({ deployments: [{ name: "integ", environment: "integ", location: "eastus" }] }));
      const { UID2_CONFIG: _c, TFE_TOKEN: _t, ...rest } = process.env;
      const env = { ...rest, HOME: dir, UID2_CONFIG: config };
      const run = (extra: NodeJS.ProcessEnv, stdin: string) => execute("npm", ["run", "--silent", "tfc-key", "--", "integ"], { cwd: PROJECT_ROOT, env: { ...env, ...extra } }, stdin);
      const [noToken, badToken, noWorkspace, localBackend, noKey] = await Promise.all([
        run({}, "key"),
        run({ TFE_TOKEN: "wrong" }, "key"),
        run({ TFE_TOKEN: tfc.token }, "key"),
        run({ UID2_CONFIG: local, TFE_TOKEN: tfc.token }, "key"),
        run({ TFE_TOKEN: tfc.token }, ""),
      ]);
      expect(noToken).toEqual({ code: 1, output: `tfc-key: no Terraform Cloud token for ${tfc.host}: run terraform login ${tfc.host}, or set TFE_TOKEN\n` });
      expect(badToken.output).toContain("refused the token (HTTP 401)");
      expect(noWorkspace.output).toContain("workspace uid2-integ-secrets does not exist in organization acme, or the token may not see it: deploy tfc-bootstrap-acme first");
      expect(localBackend.output).toContain('keeps its state with backend.type "local", not in Terraform Cloud');
      expect(noKey.output).toContain("standard input held no key");
      expect(symptomRow("`tfc-key: no Terraform Cloud token for app.terraform.io` or `refused the token (HTTP 401)`")).toContain("run `terraform login`");
      // the key never travels in a URL
      for (const request of tfc.requests) expect(request.path).not.toContain("key");
    } finally {
      await tfc.close();
    }
  });
});
