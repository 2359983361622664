/**
 * Entry point of `npm run healthcheck`; lib/healthcheck/main.ts holds the logic,
 * lib/healthcheck/ending.ts how a failure of the check itself ends, and docs/healthcheck.md
 * describes the command.
 */
import { HEALTHCHECK_ENDING } from "../lib/healthcheck/ending";
import { main } from "../lib/healthcheck/main";
import { runCommand } from "./run-command";

runCommand(main, HEALTHCHECK_ENDING);
