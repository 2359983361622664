/** Loading the configuration for a command: problems are reported and end the process. */
import { ConfigError } from "./problems";
import { loadConfig, type LoadedConfig } from "./load";
import { removeStaleOutput } from "../stale-output";

/**
 * Loads and validates the configuration. Warnings are printed; on problems, removes stale
 * synthesis output and reports one line per problem (no stack trace: they are the user's to fix,
 * not the app's). Run directly, it prints them to stderr and exits 1; under the cdktf CLI, it
 * hands them to the CLI as error annotations (report-to-cdktf.ts), so each is printed once and
 * the CLI fails.
 */
export function loadConfigOrExit(): LoadedConfig {
  try {
    const config = loadConfig();
    for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    removeStaleOutput();
    if (cdktfCliPrintsAnnotations()) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- cdktf is loaded only for this report
      (require("./report-to-cdktf") as typeof import("./report-to-cdktf")).reportToCdktf(error.problems);
      process.exit(0);
    }
    process.stderr.write(`Invalid configuration:\n${error.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    process.exit(1);
  }
}

/**
 * True when the app runs under the cdktf CLI: the CLI sets this so that synthesis goes on past
 * error annotations, because it prints them itself.
 */
function cdktfCliPrintsAnnotations(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
}
