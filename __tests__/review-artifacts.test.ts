/**
 * What reviewers see in a pull request: the workflow that synthesizes and uploads cdktf.out, and
 * a snapshot of every stack of the committed configuration, so that an infrastructure change
 * shows as a diff. The snapshots are a review aid; the stack tests' assertions enforce behaviour.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../lib/config/load";
import { PROJECT_ROOT } from "../lib/project-root";
import { appWith, synthAll } from "./support/synth";

describe("pull-request workflow", () => {
  const workflow = parse(readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "pull-request.yml"), "utf8"));
  const steps: { run?: string; uses?: string; with?: Record<string, unknown> }[] = workflow.jobs["test-and-synth"].steps;
  const runs = steps.map((step) => step.run).filter(Boolean);

  it("runs on every pull request with read-only permissions", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  it("installs, tests and synthesizes, in that order", () => {
    expect(runs).toEqual(["npm ci", "npm test", "npx cdktf synth"]);
  });

  it("uploads cdktf.out as an artifact after synthesis", () => {
    const upload = steps[steps.length - 1];
    expect(upload.uses).toMatch(/^actions\/upload-artifact@v\d+$/);
    expect(upload.with).toMatchObject({ path: "cdktf.out", "if-no-files-found": "error" });
  });

  it("uses Node 20 and a Terraform the stacks accept", () => {
    expect(steps.find((step) => step.uses?.startsWith("actions/setup-node"))?.with).toMatchObject({ "node-version": 20 });
    expect(String(steps.find((step) => step.uses?.startsWith("hashicorp/setup-terraform"))?.with?.terraform_version)).toMatch(/^1\.(1[1-9]|[2-9]\d)\./);
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
