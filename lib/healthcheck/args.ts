/**
 * Command-line parsing for `npm run healthcheck`. Every refusal is a UsageError, which the
 * command prints without a stack trace and answers with exit code 2.
 */
import { parseArgs } from "util";

export const DEFAULT_TIMEOUT_SECONDS = 900;
export const DEFAULT_INTERVAL_SECONDS = 10;
/**
 * Upper bound for both durations: Node's timers overflow past about 24.8 days and then fire at
 * once, so a mistyped huge value would silently turn into a tight loop.
 */
export const MAX_SECONDS = 86_400;

export const USAGE = [
  "usage: npm run healthcheck -- <deployment> [--timeout <seconds>] [--interval <seconds>]",
  "       npm run healthcheck -- --url <url> [--timeout <seconds>] [--interval <seconds>]",
  "",
  "  <deployment>          a deployment of the configuration: polls the healthcheck_url output",
  "                        of its <deployment>-operator stack",
  "  --url <url>           poll this http(s) URL instead, e.g. http://20.1.2.3/ops/healthcheck",
  `  --timeout <seconds>   give up after this long (default ${DEFAULT_TIMEOUT_SECONDS})`,
  `  --interval <seconds>  wait this long between attempts (default ${DEFAULT_INTERVAL_SECONDS})`,
  "",
  "exit codes: 0 healthy, 1 unhealthy at the deadline, 2 nothing checked (usage, configuration, not deployed)",
].join("\n");

/** A refused command line; the message says which option or argument is wrong. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type Target = { readonly kind: "deployment"; readonly deployment: string } | { readonly kind: "url"; readonly url: string };

export type ParsedArgs =
  | { readonly help: true }
  | { readonly help: false; readonly target: Target; readonly timeoutMs: number; readonly intervalMs: number };

export function parseHealthcheckArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: "string" },
        timeout: { type: "string" },
        interval: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    // parseArgs explains unknown options and missing values well; only the stack trace goes.
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };

  const timeoutMs = seconds("--timeout", values.timeout, DEFAULT_TIMEOUT_SECONDS);
  const intervalMs = seconds("--interval", values.interval, DEFAULT_INTERVAL_SECONDS);

  if (positionals.length > 1) {
    throw new UsageError(`expected one deployment name, got ${positionals.length}: ${positionals.join(" ")}`);
  }
  const deployment = positionals[0];
  if (deployment !== undefined && values.url !== undefined) {
    throw new UsageError(`give either a deployment name or --url, not both (got "${deployment}" and --url ${values.url})`);
  }
  if (values.url !== undefined) return { help: false, target: { kind: "url", url: httpUrl(values.url) }, timeoutMs, intervalMs };
  if (deployment !== undefined && deployment !== "") return { help: false, target: { kind: "deployment", deployment }, timeoutMs, intervalMs };
  throw new UsageError("give a deployment name or --url <url>");
}

function seconds(option: string, given: string | undefined, fallback: number): number {
  if (given === undefined) return fallback * 1000;
  const value = given.trim() === "" ? NaN : Number(given);
  if (!Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${option} must be a positive number of seconds, got "${given}"`);
  }
  if (value > MAX_SECONDS) {
    throw new UsageError(`${option} must be at most ${MAX_SECONDS} seconds (one day), got "${given}"`);
  }
  // At least a millisecond, so that a tiny value cannot become a zero-delay loop.
  return Math.max(1, Math.round(value * 1000));
}

/** What is wrong with `given` as a health check address, or undefined for an http(s) URL with a host. */
export function httpUrlProblem(given: string): string | undefined {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return "is not a URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `must use http or https, not ${url.protocol.replace(/:$/, "")}`;
  if (url.hostname === "") return "has no host";
  return undefined;
}

function httpUrl(given: string): string {
  const problem = httpUrlProblem(given);
  if (problem) throw new UsageError(`--url "${given}" ${problem}; give one such as http://20.1.2.3/ops/healthcheck`);
  return given;
}
