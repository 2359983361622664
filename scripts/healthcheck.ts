/**
 * Entry point of `npm run healthcheck`; lib/healthcheck/main.ts holds the logic and
 * docs/healthcheck.md describes the command.
 */
import { main } from "../lib/healthcheck/main";
import { runCommand } from "./run-command";

runCommand(main);
