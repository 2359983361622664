/** Command-line parsing for `npm run review`; a refusal is a UsageError (exit 2, no stack trace). */
import { parseOptions, UsageError } from "../command-line";

export { UsageError };

export const USAGE = [
  "usage: npm run review -- --base <git-ref> [--json]",
  "",
  "  --base <git-ref>  the revision to compare the working tree with: a branch, tag, HEAD~1, a hash",
  "  --json            print the findings as JSON instead of Markdown",
  "",
  "Synthesizes the base (in a temporary git worktree) and the working tree with the same",
  "configuration source: the file UID2_CONFIG names, on both sides, or else each side's own",
  "config/deployments.json. Prints what the change does to each stack.",
  "",
  "exit codes: 0 reviewed (changes or not), 2 no review (usage, not a git repository,",
  "unknown ref, a side's synthesis refused)",
].join("\n");

export type ReviewArgs = { readonly help: true } | { readonly help: false; readonly base: string; readonly json: boolean };

export function parseReviewArgs(argv: readonly string[]): ReviewArgs {
  const values = parseOptions(argv, { base: { type: "string", multiple: true }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } });
  if (values.help) return { help: true };
  if (values.base !== undefined && values.base.length > 1) throw new UsageError(`--base is given ${values.base.length} times (${values.base.join(", ")}); give the one revision to compare with`);
  const base = values.base?.[0];
  if (base === undefined || base.trim() === "") throw new UsageError("give the revision to compare with: --base <git-ref>, e.g. --base main");
  return { help: false, base, json: values.json === true };
}
