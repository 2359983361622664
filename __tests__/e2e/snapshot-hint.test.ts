/**
 * A snapshot that no longer matches fails the run with the exact command that updates it, and
 * that command (README, "In pull requests") does update it: both run for real, with this
 * project's reporter and test script, each in its own small project of one snapshot test, side
 * by side.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../lib/project-root";
import { runShell, type CommandResult } from "../support/git-scenarios";
import { README, readmeSection } from "../support/readme-sections";

const REPORTER = path.join(PROJECT_ROOT, "__tests__", "support", "summary-reporter.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the reporter is plain JavaScript, as jest loads it
const SummaryReporter = require(REPORTER) as new () => { onRunComplete(contexts: unknown, results: unknown): void };
const UPDATE_COMMAND = "npm test -- -u";
const SNAPSHOT_FILE = path.join("__snapshots__", "value.test.js.snap");

const projects: string[] = [];
let failing: CommandResult;
let updating: CommandResult;
let updated: string;

/** One test whose stored snapshot is out of date; `npm test` is this project's own script. */
function smallProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "uid2-snapshot-hint-"));
  const { scripts } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "snapshot-hint", private: true, scripts: { test: scripts.test } }));
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { noEmit: true, types: [], lib: ["ES2022"] }, files: ["checked.ts"] }));
  writeFileSync(path.join(dir, "checked.ts"), "export const checked = true;\n");
  writeFileSync(path.join(dir, "jest.config.js"), `module.exports = { testEnvironment: "node", testMatch: ["**/*.test.js"], reporters: ["default", ${JSON.stringify(REPORTER)}] };\n`);
  writeFileSync(path.join(dir, "value.test.js"), 'it("value", () => { expect({ maxCount: 8 }).toMatchSnapshot(); });\n');
  mkdirSync(path.join(dir, "__snapshots__"));
  writeFileSync(path.join(dir, SNAPSHOT_FILE), '// Jest Snapshot v1, https://goo.gl/fbAQLP\n\nexports[`value 1`] = `\n{\n  "maxCount": 5,\n}\n`;\n');
  symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

beforeAll(async () => {
  projects.push(smallProject(), smallProject());
  // jest itself for the failing run (the hint is the reporter's), the README command for the update.
  [failing, updating] = await Promise.all([runShell(projects[0], "node_modules/.bin/jest"), runShell(projects[1], UPDATE_COMMAND)]);
  updated = readFileSync(path.join(projects[1], SNAPSHOT_FILE), "utf8");
});

afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

describe("a snapshot mismatch", () => {
  it("fails the run and prints the command that updates the snapshots", () => {
    // GIVEN a stored snapshot with maxCount 5 WHEN the test now produces 8
    expect(failing.code).not.toBe(0);
    // THEN the closing lines say how to update it
    expect(failing.stdout).toContain(`Snapshots: 1 differ from the stored ones. If the change is intended, check the diff above, then update them with: ${UPDATE_COMMAND}\n`);
  });

  it("is updated by that command, as README says", () => {
    expect(readmeSection("Reviewing a change")).toContain(`\`${UPDATE_COMMAND}\``);
    expect(updating.code).toBe(0);
    expect(updated).toContain('"maxCount": 8');
    expect(updating.stdout).not.toContain("update them with");
  });

  it("counts a snapshot that CI may not write as one to update", () => {
    // GIVEN jest's results for a new snapshot refused under --ci (jest's own message)
    const results = {
      numPassedTests: 0,
      numFailedTests: 1,
      numPendingTests: 0,
      numTodoTests: 0,
      snapshot: { unmatched: 0 },
      testResults: [{ testResults: [{ failureMessages: ["New snapshot was not written. The update flag must be explicitly passed to write a new snapshot."] }] }],
    };
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, "write").mockImplementation((text) => written.push(String(text)) > 0);
    try {
      new SummaryReporter().onRunComplete([], results);
    } finally {
      write.mockRestore();
    }
    expect(written.join("")).toContain(`update them with: ${UPDATE_COMMAND}`);
    expect(README).toContain(UPDATE_COMMAND);
  });
});
