/**
 * Every case of the corpus is refused cleanly: a ConfigError (never another exception, a hang or
 * a crash) whose problems name the deployment and the field, or the file and the line, and hold
 * no stack trace. Each case goes through loadConfig, the loader the app command runs first, on a
 * real file. A representative few also run the real app command, concurrently, to prove what
 * only a process shows: exit code 1, the problems printed first, no stack trace, and no output
 * left, the earlier run's included.
 */
import { execFileSync } from "child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { loadConfig } from "../lib/config/load";
import { ConfigError } from "../lib/config/problems";
import { BAD_CONFIGS, MANIFEST, type BadConfig, type ManifestSource } from "./fixtures/bad-configs";
import { readTree, runApp, tempOutdir, type RunResult } from "./support/run-app";

/** The cases whose process behaviour is checked too: one per kind of refusal. */
const RUN_AS_APP = [
  "not JSON",
  "a configuration nested 5,000 levels deep",
  "a manifest that is a FIFO",
  "a manifest that is /dev/zero",
  "a Secret in the manifest",
  "an interpolation in the VM size",
  "a one-item list token as a ConfigMap value (the cluster's admin key)",
];

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

const scratch = mkdtempSync(path.join(tmpdir(), "uid2-corpus-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Makes the case's manifest and returns its path. */
function makeManifest(source: ManifestSource, dir: string): string {
  const file = path.join(dir, "operator.yaml");
  if ("text" in source) writeFileSync(file, source.text);
  else if ("fifo" in source) execFileSync("mkfifo", [file]);
  else if ("directory" in source) mkdirSync(file);
  else if ("bytes" in source) {
    closeSync(openSync(file, "w"));
    truncateSync(file, source.bytes);
  } else return source.device;
  return file;
}

/** Writes the case's files; returns the configuration file and what MANIFEST stands for. */
function writeCase(c: BadConfig, index: number): { file: string; expect: string } {
  const dir = path.join(scratch, `case-${index}`);
  mkdirSync(dir);
  const manifest = c.manifest ? makeManifest(c.manifest, dir) : MANIFEST;
  const text = (typeof c.file === "string" ? c.file : JSON.stringify(c.file)).split(MANIFEST).join(manifest);
  const file = path.join(dir, "deployments.json");
  writeFileSync(file, text);
  return { file, expect: c.expect.split(MANIFEST).join(manifest) };
}

/**
 * A problem line that starts with `expected`; problems about the file itself name it by its full
 * path, which ends in deployments.json.
 */
function naming(expected: string): unknown {
  return expect.stringMatching(new RegExp(`^(.*/)?${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
}

const CASES = BAD_CONFIGS.map((c, i) => ({ c, ...writeCase(c, i) }));

describe("bad-input corpus", () => {
  it("covers every group with at least 90 distinct cases", () => {
    expect(BAD_CONFIGS.length).toBeGreaterThanOrEqual(90);
    expect(new Set(BAD_CONFIGS.map((c) => c.group)).size).toBe(14);
    expect(new Set(BAD_CONFIGS.map((c) => c.title)).size).toBe(BAD_CONFIGS.length);
    for (const title of RUN_AS_APP) expect(BAD_CONFIGS.map((c) => c.title)).toContain(title);
  });

  it.each(CASES.map((k) => [`${k.c.group}: ${k.c.title}`, k] as const))("refuses %s", (_title, { file, expect: expected }) => {
    // GIVEN the bad configuration in a file WHEN the app's loader reads it
    let problems: readonly string[] | undefined;
    try {
      loadConfig(file);
    } catch (error) {
      // THEN it is refused as a configuration problem, not by any other exception
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems).toBeDefined();
    // AND one problem names the field or the file
    expect(problems).toContainEqual(naming(expected));
    // AND no problem carries a stack trace
    expect(problems!.join("\n")).not.toMatch(STACK_FRAME);
  });

  it("refuses a configuration file that does not exist", () => {
    expect(() => loadConfig("/nonexistent/uid2/deployments.json")).toThrow(
      new ConfigError(["/nonexistent/uid2/deployments.json: configuration file does not exist (set UID2_CONFIG to another file, or create it)"]),
    );
  });
});

describe("bad-input corpus through the app command", () => {
  const runs = new Map<string, { result: RunResult; expect: string }>();

  beforeAll(async () => {
    // GIVEN each case's file, and an earlier synthesis's output in the output directory
    const cases = CASES.filter((k) => RUN_AS_APP.includes(k.c.title));
    const results = await Promise.all(
      cases.map(({ file }) => {
        const outdir = tempOutdir();
        mkdirSync(path.join(outdir, "stacks", "integ-network"), { recursive: true });
        writeFileSync(path.join(outdir, "stacks", "integ-network", "cdk.tf.json"), "{}");
        writeFileSync(path.join(outdir, "manifest.json"), "{}");
        // WHEN the app command synthesizes it
        return runApp({ UID2_CONFIG: file }, outdir);
      }),
    );
    cases.forEach((k, i) => runs.set(k.c.title, { result: results[i], expect: k.expect }));
  });

  it.each(RUN_AS_APP)("%s: exits 1, the problems first, no stack trace, no output left", (title) => {
    const { result, expect: expected } = runs.get(title)!;
    expect(result.code).toBe(1);
    const lines = result.stderr.split("\n");
    expect(lines[0]).toBe("Invalid configuration:");
    expect(lines.filter((line) => line.startsWith("  - ")).map((line) => line.slice(4))).toContainEqual(naming(expected));
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect([...readTree(result.outdir).keys()]).toEqual([]);
  });
});

describe("credentials in a URL setting", () => {
  it("are never printed, in any problem", () => {
    // GIVEN a chart repository URL with a password WHEN the loader refuses it
    const c = BAD_CONFIGS.find((k) => k.title === "a password in the chart repository URL")!;
    const { file } = CASES.find((k) => k.c === c)!;
    let problems: readonly string[] = [];
    try {
      loadConfig(file);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    // THEN no problem shows the password
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).not.toContain("s3cret");
  });
});
