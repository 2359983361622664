/**
 * Entry point of `npm run versions`; lib/versions/main.ts holds the logic and the README's
 * "Keeping current" section describes the command.
 */
import { main } from "../lib/versions/main";
import { runCommand } from "./run-command";

runCommand(main);
