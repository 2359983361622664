/**
 * How a run of `npm run healthcheck` ends: its exit codes (docs/healthcheck.md lists them for
 * users), and how a failure of the check itself is reported (scripts/run-command.ts calls these).
 */

/** HTTP 200 with the body `OK`: the only way to exit 0. */
export const EXIT_HEALTHY = 0;
/** Not healthy by the deadline, or the check itself failed (an internal error). */
export const EXIT_UNHEALTHY = 1;
/** Nothing was checked: bad arguments, unknown deployment, configuration problem, no URL to poll. */
export const EXIT_NOT_CHECKED = 2;

export const NO_VERDICT = "unhealthy: internal: no verdict: the check stopped before it had a result (a bug; please report it)";

/** A failure of the check itself still ends with a verdict line, last on stdout, and exit 1. */
export const HEALTHCHECK_ENDING = {
  failureCode: EXIT_UNHEALTHY,
  failed: (message: string): void => void process.stdout.write(`unhealthy: internal: ${message}\n`),
  noResult: (): void => void process.stdout.write(`${NO_VERDICT}\n`),
};
