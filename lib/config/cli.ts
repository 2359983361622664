/** Loading the configuration for a command: problems are reported and end the process. */
import { ConfigError } from "./problems";
import { loadConfig, type LoadedConfig } from "./load";
import { removeStaleOutput } from "../stale-output";

/**
 * Loads and validates the configuration, and reports problems (one line each, no stack trace:
 * they are the user's to fix, not the app's).
 *
 * Run directly, warnings are printed as `warning:` lines; on problems, stale synthesis output is
 * removed, the problems go to stderr and the process exits 1.
 *
 * Under the cdktf CLI, warnings are not printed: the CLI shows an app's stderr as errors, and
 * prints the warning annotations synthesis attaches (main.ts) as warnings. Problems become error
 * annotations (report-to-cdktf.ts), so each is printed once and the CLI fails. The earlier
 * output is then left for the CLI: the
 * new manifest replaces the old one, and the CLI removes the stack folders it listed before the
 * run and no longer finds in it. Removed here first, the CLI's removal would fail with ENOENT
 * before it printed any problem.
 */
export function loadConfigOrExit(): LoadedConfig {
  try {
    const config = loadConfig();
    if (!underCdktfCli()) for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (underCdktfCli()) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- cdktf is loaded only for this report
      (require("./report-to-cdktf") as typeof import("./report-to-cdktf")).reportToCdktf(error.problems);
      process.exit(0);
    }
    removeStaleOutput();
    process.stderr.write(`Invalid configuration:\n${error.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    process.exit(1);
  }
}

/**
 * True when the app runs under the cdktf CLI: the CLI sets this so that synthesis goes on past
 * error annotations, because it prints annotations itself.
 */
export function underCdktfCli(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
}
