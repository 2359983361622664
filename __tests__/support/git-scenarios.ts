/**
 * Small git repositories for the review's end-to-end tests: a copy of this project (its tracked
 * and new files, with node_modules linked), one commit on `main`, and a branch per scenario
 * whose commits change the configuration. Each scenario gets its own worktree, so the reviews
 * run side by side.
 */
import { execFileSync, execFile } from "child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../lib/project-root";

/** Deterministic commits, whatever the developer's git configuration. */
const GIT_ENV = {
  GIT_AUTHOR_NAME: "review test",
  GIT_AUTHOR_EMAIL: "review-test@example.invalid",
  GIT_COMMITTER_NAME: "review test",
  GIT_COMMITTER_EMAIL: "review-test@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "commit.gpgsign=false", ...args], { cwd, env: { ...process.env, ...GIT_ENV }, encoding: "utf8" }).trim();
}

/** The project's files as they are now (tracked, and new ones not ignored), copied to `dir`, node_modules linked. */
export function copyProject(dir: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: PROJECT_ROOT, encoding: "utf8" })
    .split("\0")
    .filter((file) => file !== "");
  for (const file of files) {
    mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    try {
      copyFileSync(path.join(PROJECT_ROOT, file), path.join(dir, file));
    } catch (error) {
      // A tracked file deleted in the working tree is not part of the project as it is now.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
}

export type Config = Record<string, unknown>;

export function writeConfig(dir: string, config: Config): void {
  writeFileSync(path.join(dir, "config", "deployments.json"), `${JSON.stringify(config, null, 2)}\n`);
}

/** A repository whose `main` holds the project with `config` as config/deployments.json. */
export class ScenarioRepository {
  readonly root: string;
  readonly main: string;

  constructor(config: Config) {
    this.root = mkdtempSync(path.join(tmpdir(), "uid2-review-test-"));
    this.main = path.join(this.root, "main");
    mkdirSync(this.main);
    copyProject(this.main);
    writeConfig(this.main, config);
    git(this.main, "init", "--quiet", "--initial-branch=main");
    // The link to node_modules is this copy's, not the project's: git must not record it.
    writeFileSync(path.join(this.main, ".git", "info", "exclude"), "/node_modules\n");
    git(this.main, "add", "--all");
    git(this.main, "commit", "--quiet", "--message", "the project");
  }

  /**
   * A worktree on a new branch from `main`, with one commit per configuration given, each
   * written over the last; node_modules linked. Returns the worktree's folder.
   */
  branch(name: string, ...commits: Config[]): string {
    const dir = path.join(this.root, name);
    git(this.main, "worktree", "add", "--quiet", "-b", name, dir, "main");
    symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    commits.forEach((config, i) => {
      writeConfig(dir, config);
      git(dir, "commit", "--quiet", "--all", "--message", `${name} ${i + 1}`);
    });
    return dir;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A shell command line, as a person types it, in `cwd`; UID2_CONFIG of the test run left out. */
export function runShell(cwd: string, command: string, env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  const { UID2_CONFIG: _selected, ...rest } = process.env;
  return new Promise((resolve) => {
    execFile("sh", ["-c", command], { cwd, env: { ...rest, CHECKPOINT_DISABLE: "1", ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
