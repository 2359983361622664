/**
 * A side of a review is a pull request's code: its synthesis sees only an allow-listed
 * environment, is stopped when it runs too long or prints too much, and the base installs
 * without running install scripts. The command line and the report give a hostile value no way
 * out either.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parseReviewArgs, UsageError } from "../lib/review/args";
import { ReviewError } from "../lib/review/errors";
import { PASSED_VARIABLES, synthesizeSide } from "../lib/review/synthesize-side";
import { PROJECT_ROOT } from "../lib/project-root";

/** A project folder whose cdktf.json app command is `app`. */
function projectWith(app: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "uid2-side-"));
  writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ app }));
  return dir;
}

const side = (projectDir: string) => ({ role: "base", description: "main (1a2b3c4)", projectDir, outdir: path.join(projectDir, "out") });
const configuration = { description: "each side's own config/deployments.json" };

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ReviewError) return error.message;
    throw error;
  }
  throw new Error("the synthesis was not refused");
}

describe("a review side's synthesis", () => {
  it("sees only the allow-listed variables: no operator key, no cloud credentials", async () => {
    // GIVEN a side whose app prints its environment, then fails so that the review shows it
    const dir = projectWith("env >&2; exit 3");
    const env = { PATH: process.env.PATH, HOME: "/home/reviewer", TF_VAR_operator_key: "k-secret", ARM_CLIENT_SECRET: "arm-secret", TFE_TOKEN: "tfe-secret" };
    // WHEN it is synthesized
    const message = await refusal(synthesizeSide(side(dir), configuration, env));
    // THEN none of the secrets reached it, and the allowed ones did
    expect(message).not.toMatch(/k-secret|arm-secret|tfe-secret|TF_VAR_|ARM_|TFE_/);
    expect(message).toContain("HOME=/home/reviewer");
    expect(PASSED_VARIABLES).toEqual(["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL"]);
  });

  it("is stopped, with its process group, when it runs past the time limit", async () => {
    // GIVEN a side that never finishes, and a child of it that would outlive a plain kill
    const dir = projectWith("sleep 30 & sleep 30");
    const started = Date.now();
    // WHEN synthesized with a limit of half a second
    const message = await refusal(synthesizeSide(side(dir), configuration, { PATH: process.env.PATH }, undefined, { timeoutMs: 500, maxOutputBytes: 1024 }));
    // THEN it is refused, saying why, soon after the limit
    expect(message).toMatch(/^synthesis of the base, main \(1a2b3c4\), took longer than 0\.5 s and was stopped/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("is stopped when it prints more than its bound, keeping only the start", async () => {
    // GIVEN a side that prints without end
    const dir = projectWith("yes xxxxxxxxxxxxxxxx >&2");
    // WHEN synthesized with a bound of 64 KB
    const message = await refusal(synthesizeSide(side(dir), configuration, { PATH: process.env.PATH }, undefined, { timeoutMs: 30_000, maxOutputBytes: 65536 }));
    // THEN it is refused, and the message stays small
    expect(message).toMatch(/printed more than 65536 bytes on stderr and was stopped/);
    expect(message.length).toBeLessThan(5000);
  });

  it("installs a base's dependencies without running its install scripts", () => {
    expect(readFileSync(path.join(PROJECT_ROOT, "lib", "review", "base-checkout.ts"), "utf8")).toContain('["ci", "--ignore-scripts", "--no-audit", "--no-fund"]');
  });
});

describe("npm run review's command line", () => {
  it("refuses --base given twice, naming both", () => {
    expect(() => parseReviewArgs(["--base", "main", "--base", "evil"])).toThrow(new UsageError("--base is given 2 times (main, evil); give the one revision to compare with"));
  });
});
