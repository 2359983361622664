/**
 * Runs a runbook's `npx cdktf` commands as the docs write them, through the project's own cdktf
 * CLI, offline: a stand-in `terraform` (support/terraform-stand-in) is first on PATH and records
 * every invocation. Each runbook gets a workspace of its own (configuration file, output folder,
 * local state), so runbooks run side by side; the commands of one runbook run in order, each
 * seeing the state the commands before it left. What was deployed before a runbook is played
 * once, and its state copied in; `cdktf synth`, which reads no state, runs once per configuration.
 *
 * The harness adds to each command only what a test needs and a user's terminal provides:
 * `--output` into the workspace, the workspace's configuration (UID2_CONFIG), and approval of
 * each plan (CDKTF_AUTO_APPROVE=true, the environment form of `--auto-approve`, where a user
 * answers cdktf's prompt). No TF_VAR_ variable reaches a command unless the runbook's lines give
 * it one.
 */
import { execFile } from "child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { cpus, tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../lib/project-root";
import { startFakeTfc, type FakeTfc } from "./fake-tfc";
import { runApp } from "./run-app";
import { cdktfCommands, type CdktfCommand } from "./shell-lines";

const CDKTF = path.join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");
const STAND_IN = path.join(__dirname, "terraform-stand-in");

export interface Runbook {
  /** The configuration the runbook's edits produce (config/deployments.json's content). */
  readonly config: unknown;
  /**
   * What was deployed before the runbook starts: every stack of `config`, in `order`, of which
   * the runbook's workspace gets the state of `stacks`.
   */
  readonly deployed?: { readonly config: unknown; readonly order: readonly string[]; readonly stacks: readonly string[] };
  /** The runbook's lines, as the docs write them. */
  readonly lines: readonly string[];
  /** What the user types at `read -rs NAME`: the operator key. */
  readonly typed: string;
}

/** One call of the stand-in: `run` for the answers without state, `start`/`end` around the others. */
export interface Invocation {
  readonly event: "run" | "start" | "end";
  /** The stack whose directory Terraform ran in; undefined elsewhere (cdktf's version checks). */
  readonly stack: string | undefined;
  readonly args: readonly string[];
  /** Names of the TF_VAR_ variables it received. */
  readonly vars: readonly string[];
}

export interface CommandRun {
  readonly command: CdktfCommand;
  /** The output folder the command was given (`--output`). */
  readonly outdir: string;
  readonly code: number;
  readonly output: string;
  readonly invocations: readonly Invocation[];
  /** The stand-in Terraform Cloud's workspaces (support/fake-tfc.ts), as the runbook left them. */
  readonly tfcDir?: string;
}

/** At most this many cdktf CLIs at a time: each takes a core for about three seconds. */
const CLI_SLOTS = Math.max(2, cpus().length);
let running = 0;
const waiting: (() => void)[] = [];

async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= CLI_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** The test runner's environment, without what would leak into a runbook. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TF_VAR_") && !name.startsWith("CDKTF_") && name !== "UID2_CONFIG"));
}

/** A command that runs longer is stopped and fails: cdktf can loop (see README, "Runbooks"). */
const COMMAND_TIMEOUT_MS = 60_000;

/** Runs a program with `stdin`, within COMMAND_TIMEOUT_MS; its exit code and its stdout and stderr together. */
export function execute(file: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }, stdin?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, [...args], { ...options, maxBuffer: 16 * 1024 * 1024, timeout: COMMAND_TIMEOUT_MS, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
      const stopped = error?.killed ? `\n(stopped after ${COMMAND_TIMEOUT_MS / 1000} s)` : "";
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}${stderr}${stopped}` });
    });
    child.stdin?.end(stdin ?? "");
  });
}

function readInvocations(log: string, stacksDir: string): Invocation[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [event, cwd, args, vars] = line.split("\t");
      return {
        event: event as Invocation["event"],
        stack: path.dirname(cwd) === stacksDir ? path.basename(cwd) : undefined,
        args: args.split(" ").filter((arg) => arg !== ""),
        vars: vars.split(" ").filter((name) => name !== ""),
      };
    });
}

/** Where a configuration names the stand-in Terraform Cloud's host (support/fake-tfc.ts): replaced by its address. */
export const FAKE_TFC_HOST = "@fake-tfc";

/**
 * A workspace of its own for a configuration: its file, its stand-in Terraform Cloud (the files
 * the stand-in Terraform plays workspaces from, and `tfc`'s API over them when given), and the
 * environment a command gets (with the user's Terraform Cloud token, as `terraform login` leaves it).
 */
function workspace(config: unknown, tfc?: FakeTfc, tfcDir?: string): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(tmpdir(), "uid2-runbook-"));
  writeFileSync(path.join(dir, "deployments.json"), JSON.stringify(config).split(FAKE_TFC_HOST).join(tfc?.host ?? FAKE_TFC_HOST));
  const env = {
    ...cleanEnvironment(),
    UID2_CONFIG: path.join(dir, "deployments.json"),
    PATH: `${STAND_IN}${path.delimiter}${process.env.PATH}`,
    CHECKPOINT_DISABLE: "1",
    CI: "1",
    STAND_IN_TFC_DIR: tfcDir ?? path.join(dir, "tfc"),
    ...(tfc ? { TFE_TOKEN: tfc.token } : {}),
  };
  return { dir, env };
}

/** The state file the local backend of a stack uses: beside the output folder (constructs/state-backend.ts). */
const stateFile = (dir: string, stack: string) => path.join(dir, `terraform.${stack}.tfstate`);

const deployments = new Map<string, Promise<string>>();

/**
 * A workspace where every stack of `config` was deployed, by the stand-in, in dependency order
 * (network, cluster, secrets, operator of each deployment): once per configuration.
 */
function deployedEarlier(config: unknown, order: readonly string[]): Promise<string> {
  const key = JSON.stringify({ config, order });
  if (!deployments.has(key)) {
    deployments.set(key, (async () => {
      const { dir, env } = workspace(config);
      const synthesized = await inSlot(() => runApp({ UID2_CONFIG: env.UID2_CONFIG }, path.join(dir, "cdktf.out")));
      if (synthesized.code !== 0) throw new Error(`the configuration deployed earlier does not synthesize:\n${synthesized.stderr}`);
      for (const stack of order) {
        const cwd = path.join(dir, "cdktf.out", "stacks", stack);
        const applied = await execute(path.join(STAND_IN, "terraform"), ["apply", "-auto-approve"], { cwd, env: { ...env, TF_VAR_operator_key: "key deployed earlier", RUNBOOK_LOG: path.join(dir, "deployed-earlier.log") } });
        if (applied.code !== 0) throw new Error(`${stack} cannot be deployed earlier:\n${applied.output}`);
      }
      return dir;
    })());
  }
  return deployments.get(key)!;
}

async function runCdktf(command: CdktfCommand, dir: string, env: NodeJS.ProcessEnv, log: string): Promise<CommandRun> {
  const outdir = path.join(dir, "cdktf.out");
  const commandEnv = { ...env, ...command.env, CDKTF_AUTO_APPROVE: "true", RUNBOOK_LOG: log };
  // `npm run --silent tfc-key -- <deployment>`, the key on stdin; every other command is cdktf's.
  const { code, output } =
    command.stdin !== undefined
      ? await execute("npm", ["run", "--silent", ...command.args], { cwd: PROJECT_ROOT, env: commandEnv }, command.stdin)
      : await inSlot(() => execute(CDKTF, [...command.args, "--output", outdir], { cwd: PROJECT_ROOT, env: commandEnv }));
  return { command, outdir, code, output, invocations: readInvocations(log, path.join(outdir, "stacks")) };
}

const syntheses = new Map<string, Promise<CommandRun>>();

/** `cdktf synth` reads no state: once per configuration and arguments, in a workspace of its own. */
function synthOnce(command: CdktfCommand, config: unknown): Promise<CommandRun> {
  const key = JSON.stringify({ config, args: command.args, env: command.env });
  if (!syntheses.has(key)) {
    const { dir, env } = workspace(config);
    syntheses.set(key, runCdktf(command, dir, env, path.join(dir, "synth.log")));
  }
  return syntheses.get(key)!;
}

/**
 * Runs a runbook's cdktf commands in order; stops at the first that fails. `tfcDir` holds the
 * stand-in Terraform Cloud's workspaces (a fresh folder unless given, to look into afterwards).
 */
export async function runRunbook(runbook: Runbook, tfcDir: string = mkdtempSync(path.join(tmpdir(), "uid2-tfc-"))): Promise<CommandRun[]> {
  const usesTfc = JSON.stringify(runbook.config).includes(FAKE_TFC_HOST);
  const tfc = usesTfc ? await startFakeTfc(tfcDir) : undefined;
  try {
    return await runCommands(runbook, tfc, tfcDir);
  } finally {
    await tfc?.close();
  }
}

async function runCommands(runbook: Runbook, tfc: FakeTfc | undefined, tfcDir: string): Promise<CommandRun[]> {
  const { dir, env } = workspace(runbook.config, tfc, tfcDir);
  if (runbook.deployed) {
    const earlier = await deployedEarlier(runbook.deployed.config, runbook.deployed.order);
    for (const stack of runbook.deployed.stacks) copyFileSync(stateFile(earlier, stack), stateFile(dir, stack));
  }
  const runs: CommandRun[] = [];
  for (const [i, command] of cdktfCommands(runbook.lines, runbook.typed).entries()) {
    const run = command.args[0] === "synth" && !tfc ? await synthOnce(command, runbook.config) : await runCdktf(command, dir, env, path.join(dir, `command-${i + 1}.log`));
    runs.push({ ...run, tfcDir });
    if (run.code !== 0) break;
  }
  return runs;
}

const started = new Map<string, Promise<CommandRun[]>>();

/** runRunbook, once per distinct runbook (same configuration, starting state, lines and key). */
export function runRunbookOnce(runbook: Runbook): Promise<CommandRun[]> {
  const key = JSON.stringify(runbook);
  if (!started.has(key)) started.set(key, runRunbook(runbook));
  return started.get(key)!;
}
