/** The git operations the review needs: where the repository is, what a ref names, a worktree of it. */
import { execFile, execFileSync } from "child_process";
import { ReviewError } from "./errors";

interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function git(cwd: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile("git", [...args], { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() });
    });
  });
}

/** The top folder of the repository holding `dir`. */
export async function repositoryRoot(dir: string): Promise<string> {
  const result = await git(dir, ["rev-parse", "--show-toplevel"]);
  if (result.code !== 0) throw new ReviewError(`${dir} is not in a git repository (git: ${result.stderr || `exit ${result.code}`}); the review compares two revisions of one`);
  return result.stdout;
}

/** The commit a ref names (branch, tag, `HEAD~1`, a hash). */
export async function resolveCommit(root: string, ref: string): Promise<string> {
  const result = await git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  if (result.code === 0 && result.stdout !== "") return result.stdout;
  const remote = await remoteBranchesNamed(root, ref);
  const suggestion =
    remote.length > 0
      ? `; this clone has no local branch ${ref}, but ${remote.join(" and ")} exists: use --base ${remote[0]}`
      : " (try a branch, a tag, HEAD~1 or a commit hash)";
  throw new ReviewError(`unknown ref "${ref}": no commit of this repository has that name${suggestion}`);
}

/**
 * Remote-tracking branches with the branch name `ref` (`origin/main` for `main`), origin's first:
 * a clone made with `--single-branch` of another branch, or a CI checkout, has no local `main`.
 */
async function remoteBranchesNamed(root: string, ref: string): Promise<string[]> {
  const result = await git(root, ["for-each-ref", "--format=%(refname:short)", "refs/remotes/"]);
  if (result.code !== 0) return [];
  const names = result.stdout.split("\n").filter((name) => name.endsWith(`/${ref}`) && name.slice(0, -ref.length - 1).indexOf("/") < 0);
  return names.sort((a, b) => Number(b.startsWith("origin/")) - Number(a.startsWith("origin/")) || a.localeCompare(b));
}

/** The checked-out commit, and whether the working tree differs from it (untracked files count). */
export async function workingTreeState(root: string): Promise<{ commit: string; uncommittedChanges: boolean }> {
  const [head, status] = await Promise.all([git(root, ["rev-parse", "--verify", "--quiet", "HEAD"]), git(root, ["status", "--porcelain"])]);
  return { commit: head.code === 0 ? head.stdout : "(no commit yet)", uncommittedChanges: status.stdout !== "" };
}

/**
 * git reads every worktree's record while it adds one, and fails with "failed to read
 * .../worktrees/<name>/commondir" when another `git worktree add` in the same repository (a second
 * review running at the same time) has created that record but not yet written it. Such a failure
 * is retried after a moment; the other worktree is complete by then.
 */
const CONCURRENT_WORKTREE = /failed to read .*worktrees[\\/][^\s]+[\\/](commondir|gitdir|HEAD)/;
const WORKTREE_ATTEMPTS = 5;

/** Checks `commit` out, detached, into the empty or missing folder `dir`. */
export async function addWorktree(root: string, dir: string, commit: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const result = await git(root, ["worktree", "add", "--detach", "--quiet", dir, commit]);
    if (result.code === 0) return;
    if (attempt >= WORKTREE_ATTEMPTS || !CONCURRENT_WORKTREE.test(result.stderr)) {
      throw new ReviewError(`cannot check out ${commit} into ${dir}: ${result.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
}

/** Removes a worktree and git's record of it; synchronous, so it also runs on the way out of a signal. */
export function removeWorktree(root: string, dir: string): void {
  try {
    execFileSync("git", ["worktree", "remove", "--force", dir], { cwd: root, stdio: "ignore" });
  } catch {
    // Already gone, or never fully added: prune git's stale record instead.
    execFileSync("git", ["worktree", "prune"], { cwd: root, stdio: "ignore" });
  }
}
