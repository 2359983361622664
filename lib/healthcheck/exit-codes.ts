/** The exit codes of `npm run healthcheck`; docs/healthcheck.md lists them for users. */

/** HTTP 200 with the body `OK`: the only way to exit 0. */
export const EXIT_HEALTHY = 0;
/** Not healthy by the deadline, or the check itself failed (an internal error). */
export const EXIT_UNHEALTHY = 1;
/** Nothing was checked: bad arguments, unknown deployment, configuration problem, no URL to poll. */
export const EXIT_NOT_CHECKED = 2;
