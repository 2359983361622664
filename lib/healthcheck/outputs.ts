/**
 * Finds a deployment's health check URL in the `healthcheck_url` output of its operator stack.
 *
 * Terraform itself reads the output, in the stack's synthesized directory: Terraform there is
 * configured with the stack's own backend (local file, Terraform Cloud or azurerm), so this
 * works with each of them without knowing where the state lives.
 */
import { execFile } from "child_process";
import { existsSync } from "fs";
import * as path from "path";
import { httpUrlProblem, quoted } from "./args";

export const HEALTHCHECK_OUTPUT = "healthcheck_url";

export interface TerraformResult {
  /** null when terraform was killed (for example by the time limit) rather than exiting. */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform with `args` in `cwd`; rejects only when terraform could not be started. */
export type TerraformRunner = (args: readonly string[], cwd: string) => Promise<TerraformResult>;

/** Reading outputs from a remote backend takes seconds; a hung login or network must not hang us. */
const TERRAFORM_TIME_LIMIT_MS = 120_000;

export const terraformCli: TerraformRunner = (args, cwd) =>
  new Promise((resolve, reject) => {
    execFile(
      "terraform",
      [...args],
      {
        cwd,
        timeout: TERRAFORM_TIME_LIMIT_MS,
        maxBuffer: 16 * 1024 * 1024,
        // TF_INPUT=0: fail with a message instead of waiting for an answer nobody will type.
        env: { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ exitCode: 0, stdout, stderr });
        const code = (error as { code?: unknown }).code;
        if (typeof code === "number") return resolve({ exitCode: code, stdout, stderr });
        if (error.killed) {
          return resolve({ exitCode: null, stdout, stderr: `${stderr}\n(stopped after ${TERRAFORM_TIME_LIMIT_MS / 1000}s)` });
        }
        reject(code === "ENOENT" ? new Error("terraform is not on PATH; install the Terraform CLI (cdktf needs it too)") : error);
      },
    );
  });

/** Why no URL could be read; the message says what to run next. */
export class HealthcheckUrlUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HealthcheckUrlUnavailable";
  }
}

/** The stacks of one deployment, in the order they depend on each other. */
export function deploymentStacks(deployment: string): string[] {
  return ["network", "cluster", "secrets", "operator"].map((part) => `${deployment}-${part}`);
}

export function operatorStack(deployment: string): string {
  return `${deployment}-operator`;
}

function deployCommand(deployment: string): string {
  return `npx cdktf deploy ${deploymentStacks(deployment).join(" ")}`;
}

export interface ReadUrlOptions {
  readonly projectRoot: string;
  readonly runTerraform: TerraformRunner;
}

/** The deployed `healthcheck_url`; throws HealthcheckUrlUnavailable saying what to do instead. */
export async function readHealthcheckUrl(deployment: string, options: ReadUrlOptions): Promise<string> {
  const stack = operatorStack(deployment);
  const relativeDir = path.join("cdktf.out", "stacks", stack);
  const dir = path.join(options.projectRoot, relativeDir);
  if (!existsSync(dir)) {
    throw new HealthcheckUrlUnavailable(
      [
        `deployment ${deployment} has not been synthesized here: ${relativeDir} does not exist.`,
        `Run \`npx cdktf synth\` (or deploy it: \`${deployCommand(deployment)}\`), then run the health check again.`,
      ].join("\n"),
    );
  }

  const args = ["output", "-json", "-no-color"];
  let result: TerraformResult;
  try {
    result = await options.runTerraform(args, dir);
  } catch (error) {
    throw new HealthcheckUrlUnavailable(`could not run \`terraform ${args.join(" ")}\` in ${relativeDir}: ${(error as Error).message}`);
  }

  const notDeployed = (why: string) => `deployment ${deployment} is not deployed yet (no ${HEALTHCHECK_OUTPUT} output): ${why}.`;
  const deployIt = `Deploy it with \`${deployCommand(deployment)}\`, then run the health check again.`;
  if (result.exitCode !== 0) {
    const said = terraformError(result.stderr);
    const how = result.exitCode === null ? "did not finish" : `failed with exit code ${result.exitCode}`;
    const lines = [notDeployed(`the state of stack ${stack} could not be read`), `\`terraform ${args.join(" ")}\` in ${relativeDir} ${how}:`, ...said.map((line) => `    ${line}`), deployIt];
    // A checkout that did not run the deployment has no initialized backend in the stack directory.
    if (/terraform init|initiali[sz]/i.test(result.stderr)) {
      lines.push(`If it was deployed from another checkout, initialize the backend first: \`cd ${relativeDir} && terraform init\`.`);
    }
    throw new HealthcheckUrlUnavailable(lines.join("\n"));
  }

  const value = outputValue(result.stdout);
  if (typeof value !== "string" || value.trim() === "") {
    throw new HealthcheckUrlUnavailable([notDeployed(`stack ${stack} has none in its state`), deployIt].join("\n"));
  }
  const problem = httpUrlProblem(value.trim());
  if (problem) {
    throw new HealthcheckUrlUnavailable(
      `the ${HEALTHCHECK_OUTPUT} output of stack ${stack} ${quoted(value)} ${problem}; has the operator Service got its public IP yet? Check with \`kubectl get svc operator-svc\`.`,
    );
  }
  return value.trim();
}

/**
 * The few lines of terraform's stderr that say what failed. Warnings (such as a missing CLI
 * configuration file) come first, so the excerpt starts at the first `Error:`; the box drawn
 * around diagnostics is dropped.
 */
function terraformError(stderr: string): string[] {
  const lines = stderr
    .split("\n")
    .map((line) => line.replace(/^[│╷╵]\s?/, "").trimEnd())
    .filter((line) => line.trim() !== "");
  const start = Math.max(0, lines.findIndex((line) => line.trimStart().startsWith("Error:")));
  return lines.slice(start, start + 4);
}

/** `terraform output -json` prints `{ "<name>": { "value": ..., "type": ..., "sensitive": ... } }`. */
function outputValue(stdout: string): unknown {
  if (stdout.trim() === "") return undefined;
  let outputs: unknown;
  try {
    outputs = JSON.parse(stdout);
  } catch {
    throw new HealthcheckUrlUnavailable(`\`terraform output -json\` printed something that is not JSON: ${stdout.trim().slice(0, 200)}`);
  }
  const output = (outputs as Record<string, unknown> | null)?.[HEALTHCHECK_OUTPUT];
  return (output as { value?: unknown } | null | undefined)?.value;
}
