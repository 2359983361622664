/**
 * cdktf records a full stack trace for every token it creates (over two hundred per deployment),
 * only to quote it should that token later fail to resolve. Formatting those traces takes a third
 * of the synthesis of a large configuration. While `run` runs, errors keep their stack traces
 * but these token records stay empty; set UID2_TOKEN_STACK_TRACES=1 to keep them when chasing a
 * token that does not resolve.
 */

/** V8's own rendering of a stack trace, used for real errors while the hook is installed. */
function formatStack(error: Error, callSites: readonly NodeJS.CallSite[]): string {
  return callSites.length === 0 ? String(error) : `${String(error)}\n    at ${callSites.join("\n    at ")}`;
}

export function withoutTokenStackTraces<T>(run: () => T, env: NodeJS.ProcessEnv = process.env): T {
  if (env.UID2_TOKEN_STACK_TRACES === "1") return run();
  const previous = Error.prepareStackTrace;
  // cdktf captures into plain objects; only errors get a rendered trace.
  Error.prepareStackTrace = (target: unknown, callSites: NodeJS.CallSite[]) => {
    if (!(target instanceof Error)) return "";
    return previous ? previous(target, callSites) : formatStack(target, callSites);
  };
  try {
    return run();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
