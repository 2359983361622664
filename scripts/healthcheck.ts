/**
 * Entry point of `npm run healthcheck`; lib/healthcheck/main.ts holds the logic,
 * lib/healthcheck/command.ts how the process ends, and docs/healthcheck.md describes the command.
 */
import { runAsCommand } from "../lib/healthcheck/command";
import { main } from "../lib/healthcheck/main";

// A reader that stops early (`| head`) closes the pipe; the check's exit code still counts.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

runAsCommand(() => main(process.argv.slice(2)));
