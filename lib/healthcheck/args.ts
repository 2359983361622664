/**
 * Command-line parsing for `npm run healthcheck`. Every refusal is a UsageError, which the
 * command prints without a stack trace and answers with exit code 2.
 */
import { parseArgs } from "util";
import { UsageError } from "../command-line";

export const DEFAULT_TIMEOUT_SECONDS = 900;
export const DEFAULT_INTERVAL_SECONDS = 10;
/**
 * At least a second between requests: the state of a pod or a load balancer does not change
 * faster, and a smaller value only floods whatever answers (`--interval 0.001` would send a
 * thousand requests a second).
 */
export const MIN_INTERVAL_SECONDS = 1;
/** At least a second for the whole check: the least that one request needs (MIN_ATTEMPT_MS in poll.ts). */
export const MIN_TIMEOUT_SECONDS = 1;
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
  `  --timeout <seconds>   give up after this long (default ${DEFAULT_TIMEOUT_SECONDS}, at least ${MIN_TIMEOUT_SECONDS}, at most ${MAX_SECONDS})`,
  `  --interval <seconds>  wait this long between attempts (default ${DEFAULT_INTERVAL_SECONDS}, at least ${MIN_INTERVAL_SECONDS}, at most ${MAX_SECONDS})`,
  "",
  "The last line of a check is its verdict: `healthy: ...` or `unhealthy: ...`.",
  "exit codes: 0 healthy, 1 unhealthy at the deadline, 2 nothing checked (usage, configuration, not deployed)",
].join("\n");


export { UsageError };

export type Target = { readonly kind: "deployment"; readonly deployment: string } | { readonly kind: "url"; readonly url: string };

export type ParsedArgs =
  | { readonly help: true }
  | { readonly help: false; readonly target: Target; readonly timeoutMs: number; readonly intervalMs: number };

const OPTIONS = {
  url: { type: "string" },
  timeout: { type: "string" },
  interval: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export function parseHealthcheckArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: attachValues(argv), allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    // parseArgs explains unknown options and missing values well; only the stack trace goes.
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };

  const timeoutMs = seconds("--timeout", values.timeout, DEFAULT_TIMEOUT_SECONDS, MIN_TIMEOUT_SECONDS);
  const intervalMs = seconds("--interval", values.interval, DEFAULT_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS);

  if (positionals.length > 1) {
    throw new UsageError(`expected one deployment name, got ${positionals.length}: ${positionals.map(quoted).join(" ")}`);
  }
  const deployment = positionals[0];
  if (deployment?.includes("://")) throw new UsageError(`${quoted(deployment)} is not a deployment name; give a URL with --url`);
  if (deployment !== undefined && values.url !== undefined) {
    throw new UsageError(`give either a deployment name or --url, not both (got ${quoted(deployment)} and --url ${quoted(values.url)})`);
  }
  if (values.url !== undefined) return { help: false, target: { kind: "url", url: httpUrl(values.url) }, timeoutMs, intervalMs };
  if (deployment !== undefined && deployment !== "") return { help: false, target: { kind: "deployment", deployment }, timeoutMs, intervalMs };
  throw new UsageError("give a deployment name or --url <url>");
}

/**
 * `--timeout -1` becomes `--timeout=-1`: an option that takes a value takes the next argument
 * whatever it starts with, as getopt does, so that a negative number is refused as a bad value
 * (parseArgs alone calls it an ambiguous argument).
 */
function attachValues(argv: readonly string[]): string[] {
  const takesValue = new Set(Object.entries(OPTIONS).flatMap(([name, option]) => (option.type === "string" ? [`--${name}`] : [])));
  const attached: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--") return [...attached, ...argv.slice(i)];
    if (takesValue.has(argv[i]) && i + 1 < argv.length) attached.push(`${argv[i]}=${argv[++i]}`);
    else attached.push(argv[i]);
  }
  return attached;
}

/** A plain decimal number of seconds; no exponents, hexadecimal or Infinity. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function seconds(option: string, given: string | undefined, fallback: number, minimum: number): number {
  if (given === undefined) return fallback * 1000;
  if (!DECIMAL.test(given.trim())) throw new UsageError(`${option} must be a number of seconds, got ${quoted(given)}`);
  const value = Number(given);
  if (value < minimum) throw new UsageError(`${option} must be at least ${minimum} second${minimum === 1 ? "" : "s"}, got ${quoted(given)}`);
  if (value > MAX_SECONDS) throw new UsageError(`${option} must be at most ${MAX_SECONDS} seconds (one day), got ${quoted(given)}`);
  return Math.round(value * 1000);
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
  if (url.username !== "" || url.password !== "") {
    return "holds a user name or password: the operator's health check needs none, and a password on a command line shows in process lists and shell history";
  }
  return undefined;
}

/**
 * `given` quoted for a message on one line, with any user name and password (`user:pass@`)
 * replaced by `***@`, so that a refusal never repeats a password. Text that does not parse as a
 * URL is treated alike: everything between the scheme and the last `@` goes.
 */
export function quoted(given: string): string {
  return JSON.stringify(given.replace(/^([a-z][a-z\d+.-]*:\/*).*@/is, "$1***@"));
}

function httpUrl(given: string): string {
  const problem = httpUrlProblem(given);
  if (problem) throw new UsageError(`--url ${quoted(given)} ${problem}`);
  return given;
}
