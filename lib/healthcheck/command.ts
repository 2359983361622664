/**
 * Runs the health check as a process whose end a pipeline can trust: the exit code is set
 * explicitly, it is 0 only when the check returned 0, and the process cannot end without a
 * verdict line.
 */
import { EXIT_UNHEALTHY } from "./exit-codes";

export const NO_VERDICT = "unhealthy: internal: no verdict: the check stopped before it had a result (a bug; please report it)";

/**
 * Once the check has finished, the process ends within this long even if something is still
 * pending that cannot be cancelled (a DNS lookup runs to its own timeout); by then the output is
 * written out.
 */
const EXIT_GRACE_MS = 1_000;

/** Runs `check`, which prints its own verdict and resolves to the exit code. */
export function runAsCommand(check: () => Promise<number>): void {
  // Until the check returns its code, every way out of the process is a failure.
  process.exitCode = EXIT_UNHEALTHY;
  let finished = false;

  // Node emits beforeExit when its event loop is empty. While the check has not finished, that
  // means nothing is left that could ever settle it: say so, rather than exit without a verdict.
  process.on("beforeExit", () => {
    if (finished) return;
    finished = true;
    process.stdout.write(`${NO_VERDICT}\n`);
    process.exitCode = EXIT_UNHEALTHY;
  });

  const finish = (code: number): void => {
    finished = true;
    process.exitCode = code;
    // Unref'd: it ends the process only if something else still holds it open.
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
  };
  check().then(finish, (error: unknown) => {
    // Expected failures are outcomes or messages already printed; this is a bug, so the trace stays.
    console.error(error);
    process.stdout.write(`unhealthy: internal: ${String((error as Error | undefined)?.message ?? error).split("\n")[0]}\n`);
    finish(EXIT_UNHEALTHY);
  });
}
