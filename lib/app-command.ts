/**
 * How the app command ends when anything fails, expected or not: the cause on one line first
 * (what a person reads), the stack trace after it (for whoever debugs it), then no output left
 * that a `cdktf deploy --skip-synth` could apply, and exit code 1.
 */
import { removeStaleOutput } from "./stale-output";

/** The first line of an error's message: the cause, without the trace. */
function causeOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] || (error instanceof Error ? error.name : "unknown error");
}

/** Runs `work`; on any exception prints the cause, then the trace, removes stale output and exits 1. */
export function runAppCommand(work: () => void): void {
  try {
    work();
  } catch (error) {
    const trace = error instanceof Error && error.stack ? `${error.stack}\n` : "";
    process.stderr.write(`Synthesis failed: ${causeOf(error)}\n${trace}`);
    removeStaleOutput();
    process.exit(1);
  }
}
