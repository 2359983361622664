/** Runs a command in a child process and measures its wall time and peak memory. */
import { spawnSync } from "child_process";
import { existsSync, readFileSync, rmSync } from "fs";
import * as path from "path";
import { performance } from "perf_hooks";

/** A Node command: the arguments after `node`, where to run it and what to add to its environment. */
export interface NodeCommand {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
}

export interface Run {
  readonly seconds: number;
  readonly maxRssMb: number;
}

const REPORT_RSS = path.join(__dirname, "report-rss.js");

/**
 * Variables of the caller's shell that would change what is measured: the app's own (another
 * configuration file), another output folder, ts-node switched to transpile-only.
 */
const IGNORED_VARIABLES = /^(UID2_.*|CDKTF_OUTDIR|TS_NODE_.*)$/;

function baseEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!IGNORED_VARIABLES.test(key)) env[key] = value;
  return { ...env, CHECKPOINT_DISABLE: "1" };
}

/**
 * One synthesis into `outdir` (emptied first, outside the timing). The wall time includes
 * Node's start-up, as a person running the command sees it.
 */
export function runOnce(command: NodeCommand, outdir: string): Run {
  rmSync(outdir, { recursive: true, force: true });
  const rssFile = `${outdir}.maxrss`;
  rmSync(rssFile, { force: true });
  const env = { ...baseEnvironment(), ...command.env, CDKTF_OUTDIR: outdir, BENCH_RSS_FILE: rssFile };
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--require", REPORT_RSS, ...command.args], {
    cwd: command.cwd,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`node ${command.args.join(" ")} (in ${command.cwd}) exited ${result.status ?? result.signal}:\n${result.stderr}`);
  }
  if (!existsSync(rssFile)) throw new Error(`${REPORT_RSS} wrote no ${rssFile}`);
  const maxRssMb = Number(readFileSync(rssFile, "utf8").trim()) / 1024;
  return { seconds, maxRssMb };
}

export interface Subject {
  readonly command: NodeCommand;
  readonly outdir: string;
}

/**
 * Runs the subjects in turns (A B A B ...), so that load from other processes on the machine
 * affects each about equally: their ratio stays meaningful even when the wall times drift.
 * `warmups` turns come first and are discarded (they fill the file and transform caches).
 */
export function runInTurns(subjects: readonly Subject[], count: number, warmups = 0): Run[][] {
  const runs: Run[][] = subjects.map(() => []);
  for (let turn = 0; turn < warmups + count; turn++) {
    subjects.forEach((subject, i) => {
      const run = runOnce(subject.command, subject.outdir);
      if (turn >= warmups) runs[i].push(run);
    });
  }
  return runs;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Wall time of a command run once through the shell's PATH (for `npm test`). */
export function timeShellCommand(file: string, args: readonly string[], cwd: string): { seconds: number; status: number; output: string } {
  const started = performance.now();
  const result = spawnSync(file, args, { cwd, env: baseEnvironment(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (result.error) throw result.error;
  return { seconds, status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}
