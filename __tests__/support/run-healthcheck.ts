/** Runs the real health check command in child processes and reads its verdict. */
import { spawn } from "child_process";
import { setImmediate as nextTurn } from "timers/promises";
import { PROJECT_ROOT } from "../../lib/project-root";

export interface CommandResult {
  /** The exit code; null when the process was killed by a signal. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

/** Generous: a child must never hang the suite, and a run that hangs fails on its exit code. */
const CHILD_TIME_LIMIT_MS = 20_000;

/** Process groups of the children still running. */
const running = new Set<number>();

/**
 * Each child leads its own process group, so that stopping it also stops what it started
 * (`sh` starts npm, npm starts node): see stopAllChildren.
 */
function stopGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
  running.delete(pid);
}

/** Stops every child (and its own children) still running; for afterAll. */
export function stopAllChildren(): void {
  [...running].forEach(stopGroup);
}

/** The test runner's environment, less a configuration file a developer may have selected. */
function baseEnvironment(): NodeJS.ProcessEnv {
  const { UID2_CONFIG: _selected, ...rest } = process.env;
  return rest;
}

/**
 * Starting a process blocks this one for a few to tens of milliseconds (more on a busy machine),
 * during which the test servers in this process cannot answer. Children started in a burst
 * therefore start one per turn of the event loop, so that the servers answer in between.
 */
let previousStart: Promise<void> = Promise.resolve();

function inTurn(): Promise<void> {
  previousStart = previousStart.then(() => nextTurn());
  return previousStart;
}

export async function runFile(file: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  await inTurn();
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(file, [...args], { cwd: options.cwd ?? PROJECT_ROOT, env: { ...baseEnvironment(), ...options.env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const pid = child.pid!;
    running.add(pid);
    const limit = setTimeout(() => stopGroup(pid), CHILD_TIME_LIMIT_MS);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => {
      clearTimeout(limit);
      stopGroup(pid);
      resolve({ code, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}

/** `npm run healthcheck -- <args>`, without npm's own start-up: the script it runs. */
export function runHealthcheck(args: readonly string[]): Promise<CommandResult> {
  return runFile(process.execPath, ["--require", "./scripts/register-ts.js", "scripts/healthcheck.ts", ...args]);
}

/** Runs TypeScript `code` as the entry script of a process, from the project root. */
export function runScript(code: string): Promise<CommandResult> {
  return runFile(process.execPath, ["--require", "./scripts/register-ts.js", "--eval", code]);
}

/** A command line exactly as a person types it into a shell. */
export function runShell(line: string, options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CommandResult> {
  return runFile("sh", ["-c", line], options);
}

const VERDICT = /^(healthy|unhealthy): /;

/**
 * The verdict of a run: the last line of its output, which must be the only line that starts
 * with `healthy: ` or `unhealthy: `. Throws (failing the test) when that does not hold.
 */
export function verdictOf(result: CommandResult): string {
  const lines = result.stdout.trimEnd().split("\n");
  const verdicts = lines.filter((line) => VERDICT.test(line));
  if (verdicts.length !== 1 || lines[lines.length - 1] !== verdicts[0]) {
    throw new Error(`expected exactly one verdict line, last, in the output; got ${verdicts.length} (exit code ${result.code}):\n${result.stdout}${result.stderr}`);
  }
  return verdicts[0];
}

/** A stack trace line, as Node prints them. */
export const STACK_TRACE = /^\s+at /m;
