/**
 * `npx cdktf synth --hcl`: HCL that Terraform reads (checked offline with `terraform fmt`, which
 * parses every file) and that keeps the Terraform version requirement; and a synthesis in one
 * format leaves no file of the other behind, which Terraform would load beside it.
 */
import { execFile } from "child_process";
import { readFileSync } from "fs";
import * as path from "path";
import { DEFAULT_CONFIG_FILE } from "../../lib/config/load";
import { REQUIRED_TERRAFORM_VERSION } from "../../stacks/deployment-stack";
import { sectionCodeLines } from "../support/doc-blocks";
import { HCL_SECTION } from "../support/documented-runbooks";
import { runRunbookOnce } from "../support/runbook-harness";
import { readTree, runApp, type RunResult } from "../support/run-app";

/** `terraform fmt -check -recursive` on a folder: exit 0 when every file parses and is canonical. */
function terraformFmtCheck(dir: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile("terraform", ["fmt", "-check", "-recursive", "-no-color", dir], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr, outdir: dir });
    });
  });
}

/** The stack files of an output folder, by stack: the names of the files in its directory. */
function filesByStack(outdir: string): Map<string, string[]> {
  const byStack = new Map<string, string[]>();
  for (const file of readTree(path.join(outdir, "stacks")).keys()) {
    const [stack, name] = file.split(path.sep);
    byStack.set(stack, [...(byStack.get(stack) ?? []), name].sort());
  }
  return byStack;
}

describe("npx cdktf synth --hcl", () => {
  // GIVEN the committed configuration WHEN the real CLI synthesizes HCL, as README's section says
  let outdir: string;
  beforeAll(async () => {
    const runs = await runRunbookOnce({ config: JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, "utf8")), lines: sectionCodeLines("README.md", HCL_SECTION), typed: "" });
    expect(runs.map((run) => [run.command.text, run.code])).toEqual([["npx cdktf synth --hcl", 0]]);
    outdir = runs[0].outdir;
  });

  it("writes HCL that terraform fmt -check accepts: it parses, in canonical form", async () => {
    const stacks = filesByStack(outdir);
    expect(stacks.size).toBe(10);
    for (const files of stacks.values()) expect(files).toContain("cdk.tf");
    const fmt = await terraformFmtCheck(path.join(outdir, "stacks"));
    // (Terraform warns here that TF_CLI_CONFIG_FILE names no file; that warning is not about the HCL.)
    expect({ code: fmt.code, stdout: fmt.stdout, errors: fmt.stderr.replace(/[^]*?does not exist\.\n╵\n/, "").trim() }).toEqual({ code: 0, stdout: "", errors: "" });
  });

  it("keeps the Terraform version requirement in every stack", () => {
    for (const [file, content] of readTree(path.join(outdir, "stacks"))) {
      if (!file.endsWith("cdk.tf")) continue;
      expect({ file, requirement: content.match(/^\s*required_version\s*=\s*"([^"]*)"\s*$/m)?.[1] }).toEqual({ file, requirement: REQUIRED_TERRAFORM_VERSION });
      expect({ file, mangled: content.includes('0 = "required_version"') }).toEqual({ file, mangled: false });
    }
  });

  it("leaves no cdk.tf behind when JSON is synthesized next, nor cdk.tf.json when HCL is", async () => {
    // WHEN the same folder is synthesized as JSON (the app command, as the CLI runs it)
    expect((await runApp({}, outdir)).code).toBe(0);
    // THEN each stack holds the JSON only
    for (const [stack, files] of filesByStack(outdir)) expect({ stack, files }).toEqual({ stack, files: ["cdk.tf.json"] });
    // AND back to HCL: no JSON is left
    expect((await runApp({ SYNTH_HCL_OUTPUT: "true" }, outdir)).code).toBe(0);
    for (const [stack, files] of filesByStack(outdir)) expect({ stack, files }).toEqual({ stack, files: ["cdk.tf", "metadata.json"] });
  });
});
