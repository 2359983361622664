/**
 * `npm run healthcheck`: the guide's "Running the Health Check" step, repeated until the
 * operator is healthy or the deadline passes. Every dependency on the outside world can be
 * replaced, so tests run it in-process against local servers and a fake terraform.
 */
import { ConfigError } from "../config/problems";
import { PROJECT_ROOT } from "../project-root";
import { failureAdvice, type AdviceContext } from "./advice";
import { parseHealthcheckArgs, USAGE, UsageError, type Target } from "./args";
import { EXIT_HEALTHY, EXIT_NOT_CHECKED, EXIT_UNHEALTHY } from "./ending";
import { formatSeconds } from "./outcome";
import { HealthcheckUrlUnavailable, readHealthcheckUrl, terraformCli, type TerraformRunner } from "./outputs";
import { poll, systemClock, verdict, type Clock } from "./poll";
import { probe, type Probe } from "./probe";

/** The part of a configured deployment the health check uses. */
export interface DeploymentInfo {
  readonly name: string;
  readonly environment?: string;
  readonly names?: { readonly resourceGroup: string; readonly cluster: string };
  readonly operator?: { readonly namespace: string };
}

export interface HealthcheckDeps {
  /** Progress, advice and, last, the verdict. */
  readonly out: (line: string) => void;
  /** Why nothing could be checked. */
  readonly err: (line: string) => void;
  /** Throws ConfigError when the configuration is invalid. */
  readonly loadDeployments: () => { readonly file?: string; readonly deployments: readonly DeploymentInfo[] };
  readonly runTerraform: TerraformRunner;
  readonly projectRoot: string;
  readonly clock: Clock;
  readonly probe: Probe;
}

const defaultDeps: HealthcheckDeps = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  // Loaded only for a deployment name: a --url check starts faster without the config schema.
  loadDeployments: () => (require("../config/load") as typeof import("../config/load")).loadConfig(),
  runTerraform: terraformCli,
  projectRoot: PROJECT_ROOT,
  clock: systemClock,
  probe,
};

/** A deployment name that the configuration does not have. */
class UnknownDeployment extends Error {}

/** Runs the health check; resolves to the process exit code. */
export async function main(argv: readonly string[], overrides: Partial<HealthcheckDeps> = {}): Promise<number> {
  const deps: HealthcheckDeps = { ...defaultDeps, ...overrides };
  let url: string;
  let context: AdviceContext;
  let timeoutMs: number;
  let intervalMs: number;
  try {
    const args = parseHealthcheckArgs(argv);
    if (args.help) {
      deps.out(USAGE);
      return 0;
    }
    ({ timeoutMs, intervalMs } = args);
    ({ url, context } = await resolveTarget(args.target, deps));
  } catch (error) {
    return reportNotChecked(error, deps);
  }

  deps.out(`checking ${url} every ${formatSeconds(intervalMs)} for up to ${formatSeconds(timeoutMs)}`);
  const result = await poll({ url, timeoutMs, intervalMs, log: deps.out, clock: deps.clock, probe: deps.probe });
  // The verdict comes last, so that it is the line a log or a pipeline reads at the end.
  if (!result.healthy) failureAdvice(result.last, context).forEach((line) => deps.out(line));
  deps.out(verdict(url, result, timeoutMs));
  return result.healthy ? EXIT_HEALTHY : EXIT_UNHEALTHY;
}

async function resolveTarget(target: Target, deps: HealthcheckDeps): Promise<{ url: string; context: AdviceContext }> {
  if (target.kind === "url") return { url: target.url, context: {} };
  const config = deps.loadDeployments();
  const deployment = config.deployments.find((candidate) => candidate.name === target.deployment);
  if (!deployment) {
    const known = config.deployments.map((candidate) => candidate.name).join(", ");
    const where = config.file ? ` in ${config.file}` : "";
    throw new UnknownDeployment(`unknown deployment "${target.deployment}"; the deployments configured${where} are: ${known}`);
  }
  const url = await readHealthcheckUrl(deployment.name, { projectRoot: deps.projectRoot, runTerraform: deps.runTerraform });
  return {
    url,
    context: {
      environment: deployment.environment,
      namespace: deployment.operator?.namespace,
      resourceGroup: deployment.names?.resourceGroup,
      cluster: deployment.names?.cluster,
    },
  };
}

/** Expected failures become a message and exit code 2; anything else is a bug and propagates. */
function reportNotChecked(error: unknown, deps: HealthcheckDeps): number {
  if (error instanceof UsageError) {
    deps.err(`healthcheck: ${error.message} (npm run healthcheck -- --help shows the usage)`);
  } else if (error instanceof ConfigError) {
    deps.err("healthcheck: the configuration has problems:");
    error.problems.forEach((problem) => deps.err(`  ${problem}`));
  } else if (error instanceof UnknownDeployment || error instanceof HealthcheckUrlUnavailable) {
    deps.err(`healthcheck: ${error.message}`);
  } else {
    throw error;
  }
  return EXIT_NOT_CHECKED;
}
