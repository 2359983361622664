/**
 * README's advice on quieting what Terraform adds to every command, checked against the real
 * Terraform CLI (offline: `terraform version` with CHECKPOINT_DISABLE=1 reaches no server).
 */
import { execFile } from "child_process";
import { existsSync, mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../lib/project-root";
import { readDoc } from "../support/doc-blocks";

/** Runs `command` with `sh -c` in a clean temporary folder; stdout and stderr together. */
function sh(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile("sh", ["-c", command], { env, cwd: mkdtempSync(path.join(tmpdir(), "uid2-quiet-")) }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

const README = readDoc("README.md").replace(/\s+/g, " ");

describe("README: quieting Terraform's additions", () => {
  it("quotes the block Terraform prints when TF_CLI_CONFIG_FILE names no file, and its fix removes it", async () => {
    // GIVEN TF_CLI_CONFIG_FILE naming a file that does not exist
    const file = path.join(mkdtempSync(path.join(tmpdir(), "uid2-tfrc-")), ".terraformrc");
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: file };
    // WHEN terraform runs, before and after README's fix, as README writes it
    const before = await sh("terraform version", env);
    const fix = README.match(/create the file \(`([^`]+)`\)/)?.[1];
    expect(fix).toBe('touch "$TF_CLI_CONFIG_FILE"');
    await sh(fix!, env);
    const after = await sh("terraform version", env);
    // THEN README names the block Terraform printed, and the fix silences it
    expect(before.output).toContain("There are some problems with the CLI configuration");
    expect(before.output).toContain("Unable to open CLI configuration file");
    expect(README).toContain("There are some problems with the CLI configuration ... Unable to open CLI configuration file");
    expect(existsSync(file)).toBe(true);
    expect(after).toEqual({ code: 0, output: expect.not.stringContaining("CLI configuration") });
  });

  it("tells how to turn off the checkpoint call, which CI turns off too", () => {
    expect(README).toContain("`CHECKPOINT_DISABLE=1`");
    expect(readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8")).toMatch(/CHECKPOINT_DISABLE=1/);
  });
});
