/** Set to 1 to keep cdktf's token stack traces (see withoutTokenStackTraces). */
export const TOKEN_STACK_TRACES_VARIABLE = "UID2_TOKEN_STACK_TRACES";

/**
 * cdktf records a full stack trace for every token it creates (over two hundred per deployment),
 * only to quote it should that token later fail to resolve; capturing and formatting them takes
 * a third of the synthesis of a large configuration. It captures them into plain objects with
 * `Error.captureStackTrace`. While `run` runs, such captures are skipped, so the records stay
 * empty, while errors are untouched and keep their stack traces. Set UID2_TOKEN_STACK_TRACES=1 to
 * keep the records when chasing a token that does not resolve.
 */
export function withoutTokenStackTraces<T>(run: () => T, env: NodeJS.ProcessEnv = process.env): T {
  if (env[TOKEN_STACK_TRACES_VARIABLE] === "1") return run();
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = (target: object, constructorOpt?: Function) => {
    if (target instanceof Error) capture.call(Error, target, constructorOpt);
  };
  try {
    return run();
  } finally {
    Error.captureStackTrace = capture;
  }
}
