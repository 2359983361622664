/**
 * What reviewers see in a pull request: the workflow that synthesizes, reviews the change against
 * the base and uploads both, validates every stack with Terraform in a job of its own, and a
 * snapshot of every stack of the committed configuration, so that an infrastructure change shows
 * as a diff. The snapshots are a review aid; the stack tests' assertions enforce behaviour.
 */
import { execFileSync } from "child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse } from "yaml";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../lib/config/load";
import { PROJECT_ROOT } from "../lib/project-root";
import { parseReviewArgs } from "../lib/review/args";
import { appWith, synthAll } from "./support/synth";

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

/**
 * Runs a step's script as GitHub's bash shell does (`bash -e`), in a fresh folder with `files`,
 * with `fakes` (name → shell script) first on PATH standing in for npm and terraform.
 */
function runStep(script: string, files: Record<string, string>, fakes: Record<string, string>, env: Record<string, string>): { dir: string; log: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "uid2-workflow-step-"));
  const bin = path.join(dir, ".fake-bin");
  mkdirSync(bin);
  for (const [name, body] of Object.entries(fakes)) {
    writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${path.join(dir, "calls.log")}"\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  }
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  execFileSync("bash", ["-e", "-c", script], { cwd: dir, env: { PATH: `${bin}:${process.env.PATH}`, HOME: dir, ...env }, stdio: "ignore" });
  return { dir, log: readFileSync(path.join(dir, "calls.log"), "utf8") };
}

describe("pull-request workflow", () => {
  const workflow = parse(readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "pull-request.yml"), "utf8"));
  const steps: Step[] = workflow.jobs["test-and-synth"].steps;
  const runs = steps.map((step) => step.run).filter(Boolean);
  const review = steps.find((step) => step.run?.includes("review"))!;
  const validate: Step[] = workflow.jobs["terraform-validate"].steps;

  it("runs on every pull request with read-only permissions", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  it("installs, runs both test commands and synthesizes, in that order, then reviews the change", () => {
    expect(runs.slice(0, 4)).toEqual(["npm ci", "npm test", "npm run test:e2e", "npx cdktf synth"]);
    expect(runs[4]).toBe(review.run);
  });

  it("checks out the whole history, so the review can check the base out", () => {
    expect(steps[0].uses).toMatch(/^actions\/checkout@v\d+$/);
    expect(steps[0].with).toEqual({ "fetch-depth": 0 });
  });

  it("reviews against the pull request's base, passed through the environment, into the job summary and review.md", () => {
    // GIVEN the step's script WHEN run with a stand-in npm that prints a report
    expect(review.env).toEqual({ BASE_SHA: "${{ github.event.pull_request.base.sha }}" });
    const { dir, log } = runStep(review.run!, {}, { npm: 'echo "# Infrastructure review"' }, { BASE_SHA: "0123abc", GITHUB_STEP_SUMMARY: "summary.md" });
    try {
      // THEN it ran README's command with the base, and the report is in both places
      expect(log).toBe("npm run --silent review -- --base 0123abc\n");
      expect(readFileSync(path.join(dir, "review.md"), "utf8")).toBe("# Infrastructure review\n");
      expect(readFileSync(path.join(dir, "summary.md"), "utf8")).toBe("# Infrastructure review\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(parseReviewArgs(["--base", "0123abc"])).toEqual({ help: false, base: "0123abc", json: false });
  });

  it("uploads cdktf.out and the review beside it, after both are written", () => {
    const upload = steps[steps.length - 1];
    expect(upload.uses).toMatch(/^actions\/upload-artifact@v\d+$/);
    expect(upload.with).toMatchObject({ name: "cdktf.out", path: "cdktf.out\nreview.md\n", "if-no-files-found": "error" });
  });

  it("validates every stack of the committed configuration and of every example, in a job of its own", () => {
    // GIVEN the separate job: no dependency on the tests, its own install
    expect(workflow.jobs["terraform-validate"].needs).toBeUndefined();
    expect(validate.map((step) => step.run).filter(Boolean)[0]).toBe("npm ci");
    // WHEN its last step runs with two configurations, a stand-in npm whose synthesis writes two
    // stacks into the CDKTF_OUTDIR it is given, and a stand-in terraform
    const files = { "config/deployments.json": "{}", "config/examples/one.json": "{}" };
    const npm = 'mkdir -p "$CDKTF_OUTDIR/stacks/integ-network" "$CDKTF_OUTDIR/stacks/integ-operator"; echo "synth $UID2_CONFIG" >> synth.log';
    const { dir, log } = runStep(validate[validate.length - 1].run!, files, { npm, terraform: "" }, { TF_PLUGIN_CACHE_DIR: "plugins" });
    const synthesized = readFileSync(path.join(dir, "synth.log"), "utf8");
    rmSync(dir, { recursive: true, force: true });
    // THEN each configuration is synthesized into its own folder, and each of its stacks initialized without a backend and validated
    expect(synthesized).toBe("synth config/deployments.json\nsynth config/examples/one.json\n");
    expect(log.trim().split("\n").filter((line) => line.startsWith("terraform"))).toEqual(
      ["deployments", "one"].flatMap((out) =>
        ["integ-network", "integ-operator"].flatMap((stack) => [
          `terraform -chdir=cdktf.out/${out}/stacks/${stack}/ init -backend=false -input=false`,
          `terraform -chdir=cdktf.out/${out}/stacks/${stack}/ validate`,
        ]),
      ),
    );
  });

  it.each(["test-and-synth", "terraform-validate"])("%s uses Node 22 (a supported LTS) and a Terraform the stacks accept", (job) => {
    const jobSteps: Step[] = workflow.jobs[job].steps;
    expect(jobSteps.find((step) => step.uses?.startsWith("actions/setup-node"))?.with).toMatchObject({ "node-version": 22 });
    expect(String(jobSteps.find((step) => step.uses?.startsWith("hashicorp/setup-terraform"))?.with?.terraform_version)).toMatch(/^1\.(1[1-9]|[2-9]\d)\./);
  });
});

describe("monthly versions workflow", () => {
  const workflow = parse(readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "versions.yml"), "utf8"));
  const steps: { run?: string; uses?: string; with?: Record<string, unknown> }[] = workflow.jobs.versions.steps;

  it("runs monthly and on demand, and may only read the repository and request an Azure login token", () => {
    expect(workflow.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ 1 \* \*$/) }]);
    expect(workflow.on).toHaveProperty("workflow_dispatch");
    expect(Object.keys(workflow.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(workflow.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  it("installs, logs in to Azure with OpenID Connect, then runs npm run versions, whose exit code fails the run", () => {
    expect(steps.map((step) => step.run ?? step.uses?.replace(/@v\d+$/, ""))).toEqual(["actions/checkout", "actions/setup-node", "npm ci", "azure/login", "npm run versions"]);
    expect(steps[3].with).toEqual({
      "client-id": "${{ secrets.AZURE_CLIENT_ID }}",
      "tenant-id": "${{ secrets.AZURE_TENANT_ID }}",
      "subscription-id": "${{ secrets.AZURE_SUBSCRIPTION_ID }}",
    });
    expect(steps.some((step) => "continue-on-error" in step)).toBe(false);
  });

  it("opens nothing: no step but the check itself, no write permission", () => {
    const text = readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "versions.yml"), "utf8");
    expect(text).not.toMatch(/gh (issue|pr)|create-pull-request|github-script|issues: write|pull-requests: write|contents: write/);
  });
});

describe("synthesized stacks of the committed configuration", () => {
  const { deployments } = loadConfig(DEFAULT_CONFIG_FILE);
  const stacks = synthAll(appWith(...deployments));

  it.each([...stacks.keys()].sort())("%s matches its reviewed snapshot", (id) => {
    expect(stacks.get(id)!.json).toMatchSnapshot();
  });
});
