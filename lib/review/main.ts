/**
 * `npm run review -- --base <git-ref>`: what a change does to each stack, for a reviewer. Checks
 * the base out into a temporary worktree, synthesizes both sides with the same configuration
 * source, compares the Terraform JSON and prints the report. The worktree and every temporary
 * file are removed afterwards, on failure and on Ctrl-C too.
 */
import { mkdtempSync, realpathSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../project-root";
import { parseReviewArgs, USAGE, UsageError } from "./args";
import { checkOutBase, removeBaseCheckout, type CheckoutPlace } from "./base-checkout";
import { compareSyntheses } from "./compare";
import { ReviewError } from "./errors";
import type { Review } from "./findings";
import { repositoryRoot, resolveCommit, workingTreeState } from "./git";
import { renderMarkdown } from "./markdown";
import { configurationSource, synthesizeSide, SynthesisStopped } from "./synthesize-side";

export const EXIT_REVIEWED = 0;
/** No review: bad arguments, not a git repository, unknown ref, a side's synthesis refused. */
export const EXIT_NO_REVIEW = 2;

export interface ReviewDeps {
  readonly out: (text: string) => void;
  readonly err: (line: string) => void;
  /** The project to review: the folder holding cdktf.json. */
  readonly projectDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

const defaultDeps: ReviewDeps = {
  out: (text) => process.stdout.write(text),
  err: (line) => process.stderr.write(`${line}\n`),
  projectDir: PROJECT_ROOT,
  env: process.env,
  cwd: process.cwd(),
};

export async function main(argv: readonly string[], overrides: Partial<ReviewDeps> = {}): Promise<number> {
  const deps = { ...defaultDeps, ...overrides };
  try {
    const args = parseReviewArgs(argv);
    if (args.help) {
      deps.out(`${USAGE}\n`);
      return EXIT_REVIEWED;
    }
    const review = await reviewAgainst(args.base, deps);
    deps.out(args.json ? `${JSON.stringify(review, null, 2)}\n` : renderMarkdown(review));
    return EXIT_REVIEWED;
  } catch (error) {
    if (error instanceof UsageError) {
      deps.err(`${error.message}\n\n${USAGE}`);
      return EXIT_NO_REVIEW;
    }
    if (error instanceof ReviewError) {
      deps.err(`review: ${error.message}`);
      return EXIT_NO_REVIEW;
    }
    throw error;
  }
}

async function reviewAgainst(ref: string, deps: ReviewDeps): Promise<Review> {
  const projectDir = realpathSync(deps.projectDir);
  const root = realpathSync(await repositoryRoot(projectDir));
  const commit = await resolveCommit(root, ref);
  const head = await workingTreeState(root);
  const configuration = configurationSource(deps.env, deps.cwd);
  const baseLabel = `${ref} (${commit.slice(0, 12)})`;

  const tempDir = mkdtempSync(path.join(tmpdir(), "uid2-review-"));
  // The worktree's folder name is git's name for it: unique, so parallel reviews never collide.
  const place: CheckoutPlace = {
    repositoryRoot: root,
    projectRelative: path.relative(root, projectDir),
    headProjectDir: projectDir,
    worktreeDir: path.join(tempDir, path.basename(tempDir)),
  };
  const cleanUp = (): void => removeBaseCheckout(place, tempDir);
  // Stops the syntheses: when one side is refused, and on Ctrl-C (they run in process groups of
  // their own, which the terminal's signal does not reach).
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    stop.abort();
    try {
      cleanUp();
    } finally {
      process.kill(process.pid, signal);
    }
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const checkout = await checkOutBase(place, commit, baseLabel, deps.err);
    // Both at once; when one side is refused, the other is stopped rather than awaited.
    const side = (role: string, description: string, dir: string) =>
      synthesizeSide({ role, description, projectDir: dir, outdir: path.join(tempDir, `${role}.out`) }, configuration, deps.env, stop.signal).catch((error: unknown) => {
        stop.abort();
        throw error;
      });
    const [base, current] = await bothOrFirstFailure(side("base", baseLabel, checkout.projectDir), side("head", "the working tree", projectDir));
    for (const line of new Set([...base.warnings, ...current.warnings])) {
      const sides = [base.warnings.includes(line) && "base", current.warnings.includes(line) && "head"].filter(Boolean).join(" and ");
      deps.err(`${sides}: ${line}`);
    }
    return {
      base: { ref, commit },
      head,
      configuration: configuration.description,
      synthesisWarnings: current.warnings.map((line) => line.replace(/^warning: /, "")),
      ...compareSyntheses(base.synthesis, current.synthesis, { baseLabel: `\`${ref}\`` }),
    };
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    try {
      cleanUp();
    } catch (error) {
      // Never hide the review's own outcome behind a clean-up problem.
      deps.err(`review: could not remove the temporary checkout ${tempDir}: ${(error as Error).message}`);
    }
  }
}

/** Both results once both have settled; else the first real failure (not a side stopped because of it). */
async function bothOrFirstFailure<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === "fulfilled" && second.status === "fulfilled") return [first.value, second.value];
  const failures = [first, second].flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
  throw failures.find((reason) => !(reason instanceof SynthesisStopped)) ?? failures[0];
}
