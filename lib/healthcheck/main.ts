/**
 * `npm run healthcheck`: the guide's "Running the Health Check" step, repeated until the
 * operator is healthy or the deadline passes. Every dependency on the outside world can be
 * replaced, so tests run it in-process against local servers and a fake terraform.
 */
import { loadConfig } from "../config/load";
import { ConfigError } from "../config/problems";
import { PROJECT_ROOT } from "../project-root";
import { failureAdvice, type AdviceContext } from "./advice";
import { parseHealthcheckArgs, USAGE, UsageError, type Target } from "./args";
import { HealthcheckUrlUnavailable, readHealthcheckUrl, terraformCli, type TerraformRunner } from "./outputs";
import { poll, systemClock, verdict, type Clock } from "./poll";
import { formatSeconds, probe, type Probe } from "./probe";

export const EXIT_HEALTHY = 0;
export const EXIT_UNHEALTHY = 1;
/** Nothing was checked: bad arguments, unknown deployment, configuration problem, no URL to poll. */
export const EXIT_NOT_CHECKED = 2;

/** The part of a configured deployment the health check uses. */
export interface DeploymentInfo {
  readonly name: string;
  readonly environment?: string;
  readonly names?: { readonly resourceGroup: string; readonly cluster: string };
  readonly operator?: { readonly namespace: string };
}

export interface HealthcheckDeps {
  /** Progress, verdict and advice. */
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
  loadDeployments: () => loadConfig(),
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
  deps.out(verdict(url, result, timeoutMs));
  if (result.healthy) return EXIT_HEALTHY;
  failureAdvice(result.last, context).forEach((line) => deps.out(line));
  return EXIT_UNHEALTHY;
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
    deps.err(`healthcheck: ${error.message}`);
    deps.err("");
    deps.err(USAGE);
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
