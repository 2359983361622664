/**
 * Entry point of `npm run healthcheck`; lib/healthcheck/main.ts holds the logic and
 * docs/healthcheck.md describes the command.
 */
import { main } from "../lib/healthcheck/main";

// A reader that stops early (`| head`) closes the pipe; the check's exit code still counts.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Expected failures were already reported without a trace; this is a bug, so keep the trace.
    console.error(error);
    process.exitCode = 2;
  },
);
