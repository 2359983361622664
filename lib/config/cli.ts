/** Loading the configuration for a command: problems go to stderr and end the process. */
import { ConfigError } from "./problems";
import { loadConfig, type LoadedConfig } from "./load";
import { removeStaleOutput } from "../stale-output";

/**
 * Loads and validates the configuration. Warnings are printed; on problems, prints one line
 * per problem (no stack trace: they are the user's to fix, not the app's), removes stale
 * synthesis output, and exits 1.
 */
export function loadConfigOrExit(): LoadedConfig {
  try {
    const config = loadConfig();
    for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Invalid configuration:\n${error.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    removeStaleOutput();
    process.exit(1);
  }
}
