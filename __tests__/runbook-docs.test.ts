/**
 * The runbooks' lines that are not cdktf commands (e2e/runbooks.test.ts runs those): the release
 * unpacking runs as written on a fresh clone, kubectl always has the cluster's credentials, and no
 * Azure name is hard-coded where an output gives it.
 */
import { execFileSync } from "child_process";
import { existsSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { codeBlocks, README, readmeSection } from "./support/readme-sections";

const RUNBOOKS = readmeSection("Runbooks");
const blocks = codeBlocks(RUNBOOKS, "sh");
const lines = (block: string) => block.split("\n").filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));

/** The `### ` subsection of the runbooks named `heading`, and its one shell block. */
function runbookBlock(heading: string): string {
  const start = RUNBOOKS.indexOf(`\n### ${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  return codeBlocks(RUNBOOKS.slice(start), "sh")[0];
}

describe("README runbooks, the lines beside cdktf", () => {
  it("unpack a release as UID2 names its ZIP, into releases/ that a fresh clone does not have", () => {
    // GIVEN a fresh folder holding the release ZIP as UID2 attaches it (and no releases/)
    const upgrade = lines(runbookBlock("Upgrade to a new UID2 release"));
    const unpack = upgrade.slice(0, upgrade.findIndex((line) => line.startsWith("npx ")));
    const version = /^VERSION=(\S+)/.exec(unpack[0])?.[1];
    expect(version).toBeDefined();
    const dir = mkdtempSync(path.join(tmpdir(), "uid2-release-zip-"));
    writeFileSync(path.join(dir, "operator.yaml"), "kind: Deployment\n");
    execFileSync("zip", ["-q", `azure-aks-deployment-files-${version}.zip`, "operator.yaml"], { cwd: dir });
    // WHEN the runbook's lines before the first npx command run, as written
    execFileSync("sh", ["-e", "-c", unpack.join("\n")], { cwd: dir, stdio: "pipe" });
    // THEN operator.yaml is where the next line says to point operator.manifestPath
    expect(existsSync(path.join(dir, "releases", version!, "operator.yaml"))).toBe(true);
    expect(runbookBlock("Upgrade to a new UID2 release")).toContain("# set operator.manifestPath to releases/<version>/operator.yaml");
  });

  it("get the cluster's credentials before the first kubectl of every block", () => {
    const withKubectl = blocks.filter((block) => lines(block).some((line) => line.startsWith("kubectl ")));
    expect(withKubectl.length).toBeGreaterThan(0);
    for (const block of withKubectl) {
      const all = lines(block);
      const credentials = all.findIndex((line) => line.startsWith("az aks get-credentials "));
      expect({ block, credentialsBeforeKubectl: credentials >= 0 && credentials < all.findIndex((line) => line.startsWith("kubectl ")) }).toEqual({ block, credentialsBeforeKubectl: true });
    }
  });

  it("take Azure names from the stacks' outputs, printed by the block, never hard-coded", () => {
    for (const block of blocks) {
      expect({ block, hardCoded: block.match(/\b(?:aks|rg|kv)-acme-uid2-\w+|--name uid2-operator-key/g) }).toEqual({ block, hardCoded: null });
      for (const placeholder of block.matchAll(/<([a-z_]+)>/g)) {
        if (placeholder[1] === "version") continue;
        // Each <output> a command needs is named on the comment of an `npx cdktf output` line before it.
        const before = block.slice(0, placeholder.index);
        expect({ output: placeholder[1], printed: new RegExp(`npx cdktf output .*#.*\\b${placeholder[1]}\\b`).test(before) }).toEqual({ output: placeholder[1], printed: true });
      }
    }
  });

  it("say that a supported cluster moves one minor at a time, and who may skip", () => {
    const readme = README.replace(/\s+/g, " ");
    expect(readme).toContain("AKS upgrades a supported cluster **one minor version at a time**. Since July 2026 a cluster on Long-Term Support");
    expect(readme).toContain("may skip minor versions; a cluster in standard support still moves one minor at a time");
  });
});
