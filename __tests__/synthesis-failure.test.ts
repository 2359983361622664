/**
 * A synthesis that fails after validation, for any reason, ends like a refused configuration:
 * the cause on the first line, exit code 1, and no stack output left behind, neither the
 * earlier run's nor the stacks this run had already written.
 */
import { mkdirSync, writeFileSync } from "fs";
import * as path from "path";
import { readTree, runApp, tempOutdir, type RunResult } from "./support/run-app";

describe("a synthesis that fails midway", () => {
  let result: RunResult;
  beforeAll(async () => {
    // GIVEN an earlier synthesis's output, and a file where the last stack's folder must go,
    // so that cdktf fails after writing the other stacks
    const outdir = tempOutdir();
    mkdirSync(path.join(outdir, "stacks", "old-network"), { recursive: true });
    writeFileSync(path.join(outdir, "stacks", "old-network", "cdk.tf.json"), "{}");
    writeFileSync(path.join(outdir, "manifest.json"), "{}");
    writeFileSync(path.join(outdir, "stacks", "prod-operator"), "not a folder");
    // WHEN the app synthesizes the committed configuration
    result = await runApp({}, outdir);
  });

  it("exits 1", () => {
    expect(result.code).toBe(1);
  });

  it("says the cause on one line before the stack trace", () => {
    const lines = result.stderr.split("\n").filter((line) => !line.startsWith("warning: "));
    expect(lines[0]).toMatch(/^Synthesis failed: ENOTDIR: not a directory, open '.*\/stacks\/prod-operator\/cdk\.tf\.json'$/);
    expect(lines.slice(1).some((line) => /^\s+at /.test(line))).toBe(true);
  });

  it("leaves no stack output: neither the earlier run's nor the stacks written before the failure", () => {
    expect([...readTree(result.outdir).keys()]).toEqual([]);
  });
});
