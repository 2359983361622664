/**
 * Every configuration of the corpus goes through a real synthesis (the app command of
 * cdktf.json, in a child process) and must be refused cleanly: non-zero exit, a message naming
 * the deployment and the field, no stack trace in front, nothing written.
 */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { BAD_CONFIGS } from "./fixtures/bad-configs";
import { runApp, stackFiles } from "./support/run-app";

function writeConfig(file: unknown): string {
  const target = path.join(mkdtempSync(path.join(tmpdir(), "uid2-corpus-")), "deployments.json");
  writeFileSync(target, typeof file === "string" ? file : JSON.stringify(file));
  return target;
}

describe("bad-input corpus", () => {
  it("covers every configuration group with at least 40 cases", () => {
    expect(BAD_CONFIGS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(BAD_CONFIGS.map((c) => c.group)).size).toBe(10);
    expect(new Set(BAD_CONFIGS.map((c) => c.title)).size).toBe(BAD_CONFIGS.length);
  });

  it("refuses a configuration file that does not exist", async () => {
    const result = await runApp({ UID2_CONFIG: "/nonexistent/uid2/deployments.json" });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("/nonexistent/uid2/deployments.json: configuration file does not exist");
    expect(stackFiles(result.outdir)).toEqual([]);
  });

  it.concurrent.each(BAD_CONFIGS.map((c) => [`${c.group}: ${c.title}`, c] as const))("refuses %s", async (_title, c) => {
    // GIVEN the bad configuration in a file WHEN the app synthesizes it
    const result = await runApp({ UID2_CONFIG: writeConfig(c.file) });
    // THEN it exits non-zero
    expect(result.code).not.toBe(0);
    // AND the first thing printed is the list of problems, with this one among them
    const lines = result.stderr.split("\n");
    expect(lines[0]).toBe("Invalid configuration:");
    // (problems with the file itself name it by its full path, which ends in deployments.json)
    const problems = lines.filter((line) => line.startsWith("  - ")).map((line) => line.slice(4));
    expect(problems.some((p) => p.startsWith(c.expect) || p.includes(`/${c.expect}`))).toBe(true);
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    // AND no Terraform JSON was written
    expect(stackFiles(result.outdir)).toEqual([]);
  });
});
