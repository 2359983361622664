/**
 * Synthesizes one side of the comparison the way `cdktf synth` does: the `app` command of that
 * side's own cdktf.json, run in its project folder, writing to a folder of our choosing
 * (CDKTF_OUTDIR). Each side runs its own code, so the base is synthesized as it was.
 */
import { spawn } from "child_process";
import { readFileSync } from "fs";
import * as path from "path";
import { signalProcessGroup } from "../process-group";
import { ReviewError } from "./errors";
import { readSynthesis, type Synthesis } from "./synthesis";

export interface Side {
  /** "base" or "head", as errors name it. */
  readonly role: string;
  /** e.g. `main (1a2b3c4)` or `the working tree`. */
  readonly description: string;
  readonly projectDir: string;
  readonly outdir: string;
}

/**
 * Which configuration both sides read. With UID2_CONFIG set, that one file (resolved from where
 * the review runs) on both sides; otherwise each side's own config/deployments.json, the file a
 * pull request changes.
 */
export interface ConfigurationSource {
  readonly file?: string;
  readonly description: string;
}

export function configurationSource(env: NodeJS.ProcessEnv, cwd: string): ConfigurationSource {
  if (env.UID2_CONFIG) {
    const file = path.resolve(cwd, env.UID2_CONFIG);
    return { file, description: `UID2_CONFIG=${file} on both sides` };
  }
  return { description: "each side's own config/deployments.json" };
}

export function appCommand(projectDir: string): string {
  const file = path.join(projectDir, "cdktf.json");
  let app: unknown;
  try {
    app = (JSON.parse(readFileSync(file, "utf8")) as { app?: unknown }).app;
  } catch (error) {
    throw new ReviewError(`${file}: ${(error as Error).message}`);
  }
  if (typeof app !== "string" || app.trim() === "") throw new ReviewError(`${file} has no "app" command to synthesize with`);
  return app;
}

/**
 * The only variables a side's synthesis sees from the reviewer's environment. A side is code
 * from a pull request: it must not see `TF_VAR_operator_key`, cloud credentials or tokens.
 */
export const PASSED_VARIABLES: readonly string[] = ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL"];

/** A synthesis of the default configuration takes about a second; this leaves room for a slow machine. */
export const SIDE_TIMEOUT_MS = 120_000;
/** What a side may print on stderr (its warnings); more is a runaway, stopped and reported. */
export const MAX_SIDE_OUTPUT_BYTES = 1024 * 1024;

function environment(side: Side, configuration: ConfigurationSource, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const passed = Object.fromEntries(PASSED_VARIABLES.filter((name) => base[name] !== undefined).map((name) => [name, base[name]]));
  return { ...passed, ...(configuration.file ? { UID2_CONFIG: configuration.file } : {}), CDKTF_OUTDIR: side.outdir, CHECKPOINT_DISABLE: "1" };
}

export interface SideResult {
  readonly synthesis: Synthesis;
  /** What the app printed on stderr although it succeeded: its warnings. */
  readonly warnings: readonly string[];
}

/** A synthesis stopped because the other side's was refused: not an error of its own. */
export class SynthesisStopped extends Error {}

/**
 * Runs the side's app command and reads what it wrote. A refused synthesis (non-zero exit) is a
 * ReviewError holding that side's stderr. `signal` stops it: the command runs in a process
 * group of its own, so the app under `sh -c` stops with the shell; the promise settles only once
 * they have exited, so nothing writes to the output folder after it.
 */
export function synthesizeSide(
  side: Side,
  configuration: ConfigurationSource,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
  limits: { readonly timeoutMs: number; readonly maxOutputBytes: number } = { timeoutMs: SIDE_TIMEOUT_MS, maxOutputBytes: MAX_SIDE_OUTPUT_BYTES },
): Promise<SideResult> {
  const command = appCommand(side.projectDir);
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", command], { cwd: side.projectDir, env: environment(side, configuration, env), stdio: ["ignore", "ignore", "pipe"], detached: true });
    const stop = (how: NodeJS.Signals = "SIGTERM"): void => signalProcessGroup(child, how);
    const onAbort = (): void => stop();
    signal?.addEventListener("abort", onAbort, { once: true });
    let overrun: string | undefined;
    const timer = setTimeout(() => {
      overrun = `took longer than ${limits.timeoutMs / 1000} s and was stopped`;
      stop("SIGKILL");
    }, limits.timeoutMs);
    const stderr: Buffer[] = [];
    let printed = 0;
    child.stderr!.on("data", (chunk: Buffer) => {
      printed += chunk.length;
      if (printed <= limits.maxOutputBytes) stderr.push(chunk);
      else if (overrun === undefined) {
        overrun = `printed more than ${limits.maxOutputBytes} bytes on stderr and was stopped`;
        stop("SIGKILL");
      }
    });
    child.on("error", (error) => reject(new ReviewError(`cannot run the ${side.role}'s app command: ${error.message}`)));
    child.on("close", (code, killedBy) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      const text = Buffer.concat(stderr).toString("utf8");
      if (overrun !== undefined) return reject(new ReviewError(`synthesis of the ${side.role}, ${side.description}, ${overrun}:\n${text.slice(0, 4000).trimEnd()}`));
      if (signal?.aborted) return reject(new SynthesisStopped(side.role));
      if (code !== 0) {
        return reject(new ReviewError(`synthesis of the ${side.role}, ${side.description}, was refused (${killedBy ?? `exit ${code}`}):\n${text.trimEnd()}`));
      }
      try {
        resolve({ synthesis: readSynthesis(side.outdir), warnings: text.split("\n").filter((line) => line.trim() !== "") });
      } catch (readError) {
        reject(readError);
      }
    });
  });
}
