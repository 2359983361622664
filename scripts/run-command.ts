/**
 * How the project's commands (`npm run healthcheck`, `npm run versions`) run their `main`: its
 * result is the exit code; a failure it did not expect is a bug, printed with its trace, exit 2.
 */
export function runCommand(main: (argv: readonly string[]) => Promise<number>): void {
  // A reader that stops early (`| head`) closes the pipe; the command's exit code still counts.
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
}
