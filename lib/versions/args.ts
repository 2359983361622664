/** Command-line parsing for `npm run versions`; a refusal is a UsageError (exit code 2). */
import { parseOptions, UsageError } from "../command-line";
import { chartRepositoryUrlProblem, redactedUrl } from "./repository-url";

export { UsageError };

/** How long each source gets: the chart index's whole exchange, and each `az` run. */
export const DEFAULT_TIMEOUT_SECONDS = 10;
const MAX_TIMEOUT_SECONDS = 600;

export const USAGE = [
  "usage: npm run versions [-- --json] [-- --timeout <seconds>] [-- --compatibility-table <url>]",
  "",
  "  Asks the live sources whether each deployment's versions are still current: the chart",
  "  repository's index.yaml, az aks get-versions for each region, and the chart maintainers'",
  "  compatibility table (when their repository is used), against the copy synthesis judges by.",
  "  Reads the configuration as synthesis does (UID2_CONFIG, else config/deployments.json) and",
  "  never changes it.",
  "",
  "  --json                print the findings as JSON instead of a table",
  `  --timeout <seconds>   how long each source may take (default ${DEFAULT_TIMEOUT_SECONDS})`,
  "  --compatibility-table <url>",
  "                        read the compatibility table (VersionCompatibility.md) from this URL",
  "",
  "exit codes: 0 all current, 1 something should change, 2 a source could not be asked (or bad usage or configuration)",
].join("\n");

export type VersionsArgs =
  | { readonly help: true }
  | { readonly help: false; readonly json: boolean; readonly timeoutMs: number; readonly compatibilityTable?: string };

export function parseVersionsArgs(argv: readonly string[]): VersionsArgs {
  const values = parseOptions(argv, { json: { type: "boolean" }, timeout: { type: "string" }, "compatibility-table": { type: "string" }, help: { type: "boolean", short: "h" } });
  if (values.help) return { help: true };
  const seconds = values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(values.timeout.trim() === "" ? NaN : values.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(`--timeout must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, got "${values.timeout}"`);
  }
  const table = values["compatibility-table"];
  const problem = table === undefined ? undefined : chartRepositoryUrlProblem(table);
  if (problem !== undefined) throw new UsageError(`--compatibility-table ${redactedUrl(table!)} ${problem.replace("of a Helm chart repository", "of the compatibility page")}`);
  return { help: false, json: values.json === true, timeoutMs: Math.max(1, Math.round(seconds * 1000)), ...(table !== undefined ? { compatibilityTable: table } : {}) };
}
