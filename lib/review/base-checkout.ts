/**
 * The base revision, checked out beside this one so it can be synthesized: a temporary git
 * worktree with its dependencies. When both revisions pin the same packages (identical
 * package-lock.json), the worktree borrows this checkout's node_modules through a symlink;
 * otherwise it installs its own with `npm ci --ignore-scripts`.
 */
import { spawn } from "child_process";
import { existsSync, readFileSync, realpathSync, rmSync, symlinkSync, unlinkSync } from "fs";
import * as path from "path";
import { ReviewError } from "./errors";
import { addWorktree, removeWorktree } from "./git";

export interface BaseCheckout {
  /** The project folder (the one holding cdktf.json) inside the worktree. */
  readonly projectDir: string;
  /** How its dependencies were provided. */
  readonly dependencies: "linked" | "installed";
}

const LOCK_FILE = "package-lock.json";

/** True when both folders hold the same package-lock.json, byte for byte. */
export function sameLockFile(a: string, b: string): boolean {
  const read = (dir: string): Buffer | undefined => (existsSync(path.join(dir, LOCK_FILE)) ? readFileSync(path.join(dir, LOCK_FILE)) : undefined);
  const left = read(a);
  const right = read(b);
  return left !== undefined && right !== undefined && left.equals(right);
}

export interface CheckoutPlace {
  readonly repositoryRoot: string;
  /** The project folder relative to the repository root ("" when it is the root). */
  readonly projectRelative: string;
  /** This checkout's project folder, whose node_modules may be borrowed. */
  readonly headProjectDir: string;
  /** Where the worktree goes: a folder that does not exist yet. */
  readonly worktreeDir: string;
}

export async function checkOutBase(place: CheckoutPlace, commit: string, describe: string, log: (line: string) => void): Promise<BaseCheckout> {
  await addWorktree(place.repositoryRoot, place.worktreeDir, commit);
  const projectDir = path.join(place.worktreeDir, place.projectRelative);
  if (!existsSync(path.join(projectDir, "cdktf.json"))) {
    throw new ReviewError(`${describe} has no cdktf.json at ${place.projectRelative || "the repository root"}: nothing to synthesize there`);
  }
  const headModules = path.join(place.headProjectDir, "node_modules");
  if (sameLockFile(projectDir, place.headProjectDir) && existsSync(headModules)) {
    symlinkSync(realpathSync(headModules), path.join(projectDir, "node_modules"), "dir");
    return { projectDir, dependencies: "linked" };
  }
  log(`${describe}: package-lock.json differs from this checkout's, installing its dependencies (npm ci)`);
  const code = await npmCi(projectDir);
  if (code !== 0) throw new ReviewError(`installing the dependencies of ${describe} failed (npm ci exited ${code})`);
  return { projectDir, dependencies: "installed" };
}

/** npm's output goes to stderr: stdout carries only the report. */
function npmCi(cwd: string): Promise<number> {
  return new Promise((resolve) => {
    // --ignore-scripts: the base's package.json is the pull request's code; its install scripts
    // would run with the reviewer's rights before anything is checked.
    const child = spawn("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd, stdio: ["ignore", process.stderr, process.stderr] });
    child.on("error", () => resolve(127));
    child.on("close", (code) => resolve(code ?? 1));
  });
}

/** Removes the worktree (a borrowed node_modules only as a link, never its target) and the temporary folder. */
export function removeBaseCheckout(place: CheckoutPlace, tempDir: string): void {
  const link = path.join(place.worktreeDir, place.projectRelative, "node_modules");
  try {
    unlinkSync(link);
  } catch {
    // Not a link (installed, or never created): git removes it with the worktree.
  }
  if (existsSync(place.worktreeDir)) removeWorktree(place.repositoryRoot, place.worktreeDir);
  rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
}
