/**
 * How the project's commands (`npm run healthcheck`, `npm run versions`) run their `main`, so
 * that a pipeline can trust how the process ends: the exit code is main's result and nothing
 * else. Until main returns it, the exit code is the command's failure code, so no way out of
 * the process passes for success.
 */

/** What a command says, and with which exit code, when its main did not return a result. */
export interface CommandEnding {
  readonly failureCode: number;
  /** After the trace (on stderr) of a failure main did not expect: a bug. */
  readonly failed: (message: string) => void;
  /**
   * Node ran out of work while main was still waiting: nothing is left that could ever settle
   * it (a bug), and without this the process would end quietly with exit code 0.
   */
  readonly noResult: () => void;
}

/** Exit code 2 with the reason on stderr, where a command that prints a report or JSON says it. */
const DEFAULT_ENDING: CommandEnding = {
  failureCode: 2,
  failed: () => undefined,
  noResult: () => process.stderr.write("internal error: the command stopped before it had a result (a bug; please report it)\n"),
};

/**
 * Once main has returned, the process ends within this long even if something is still pending
 * that cannot be cancelled (a DNS lookup runs to its own timeout); by then the output is written.
 */
const EXIT_GRACE_MS = 1_000;

export function runCommand(main: (argv: readonly string[]) => Promise<number>, ending: CommandEnding = DEFAULT_ENDING): void {
  // A reader that stops early (`| head`) closes the pipe; the command's exit code still counts.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });

  process.exitCode = ending.failureCode;
  let finished = false;
  const finish = (code: number): void => {
    finished = true;
    process.exitCode = code;
    // Unref'd: it ends the process only if something else still holds it open.
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
  };

  // Node emits beforeExit when its event loop is empty, and again after anything scheduled here.
  process.on("beforeExit", () => {
    if (finished) return;
    finished = true;
    ending.noResult();
  });

  main(process.argv.slice(2)).then(finish, (error: unknown) => {
    console.error(error);
    ending.failed(String((error as Error | undefined)?.message ?? error).split("\n")[0]);
    finish(ending.failureCode);
  });
}
