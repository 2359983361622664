/** What the project's commands (`npm run healthcheck`, `versions`, `review`) share in reading their arguments. */
import { parseArgs, type ParseArgsConfig } from "util";

/** A command line the command cannot use: reported in one line with exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Options only, strictly: an unknown option or a stray argument is a UsageError naming it. */
export function parseOptions<T extends NonNullable<ParseArgsConfig["options"]>>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
