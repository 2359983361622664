/** Runs the real app: the `app` command of cdktf.json, or the cdktf CLI, in child processes. */
import { execFile } from "child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../lib/project-root";

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The output directory the run wrote to. */
  readonly outdir: string;
}

const APP_COMMAND: string = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "cdktf.json"), "utf8")).app;

export function tempOutdir(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), "uid2-synth-")), "cdktf.out");
}

/** The test runner's environment, less a configuration file a developer may have selected. */
function baseEnvironment(): NodeJS.ProcessEnv {
  const { UID2_CONFIG: _selected, ...rest } = process.env;
  return { ...rest, CHECKPOINT_DISABLE: "1" };
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, outdir: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: PROJECT_ROOT, env: { ...baseEnvironment(), ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr, outdir });
    });
  });
}

/** The raw app command, as `cdktf synth` runs it, writing to a fresh output directory. */
export function runApp(env: NodeJS.ProcessEnv = {}, outdir: string = tempOutdir()): Promise<RunResult> {
  return run("sh", ["-c", APP_COMMAND], { CDKTF_OUTDIR: outdir, ...env }, outdir);
}

/** `npm run synth`, as the README shows it, writing to `outdir` (the app's CDKTF_OUTDIR). */
export function runNpmSynth(env: NodeJS.ProcessEnv = {}, outdir: string = tempOutdir()): Promise<RunResult> {
  return run("npm", ["run", "synth"], { CDKTF_OUTDIR: outdir, ...env }, outdir);
}

/** The real `cdktf synth` CLI. */
export function runCdktfSynth(env: NodeJS.ProcessEnv = {}, outdir: string = tempOutdir()): Promise<RunResult> {
  return run(path.join(PROJECT_ROOT, "node_modules", ".bin", "cdktf"), ["synth", "--output", outdir], env, outdir);
}

/** Every file under a directory, relative paths sorted, with their contents. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  const walk = (sub: string): void => {
    for (const name of readdirSync(path.join(dir, sub)).sort()) {
      const rel = path.join(sub, name);
      if (statSync(path.join(dir, rel)).isDirectory()) walk(rel);
      else files.set(rel, readFileSync(path.join(dir, rel), "utf8"));
    }
  };
  walk("");
  return files;
}

/** The `cdk.tf.json` files a run left, by relative path. */
export function stackFiles(outdir: string): string[] {
  return [...readTree(outdir).keys()].filter((file) => file.endsWith("cdk.tf.json"));
}

/** The same files, by relative path, with the same bytes (a failure names the file). */
export function expectSameFiles(actual: Map<string, string>, expected: Map<string, string>): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [file, content] of expected) expect({ file, content: actual.get(file) }).toEqual({ file, content });
}
