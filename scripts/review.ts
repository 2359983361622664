/**
 * Entry point of `npm run review -- --base <git-ref>`; lib/review/main.ts holds the logic and
 * README ("Reviewing a change") describes the command.
 */
import { main } from "../lib/review/main";
import { runCommand } from "./run-command";

runCommand(main);
