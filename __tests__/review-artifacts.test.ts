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

describe("synthesized stacks of the committed configuration", () => {
  const { deployments } = loadConfig(DEFAULT_CONFIG_FILE);
  const stacks = synthAll(appWith(...deployments));

  it.each([...stacks.keys()].sort())("%s matches its reviewed snapshot", (id) => {
    expect(stacks.get(id)!.json).toMatchSnapshot();
  });
});
