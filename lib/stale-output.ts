import { existsSync, readdirSync, rmSync } from "fs";
import * as path from "path";

/** The output folder of the running synthesis: cdktf passes it as CDKTF_OUTDIR. */
function outputFolder(outdir: string | undefined): string {
  return path.resolve(outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
}

/**
 * Removes the stacks an earlier synthesis wrote, as `cdktf synth` does before it runs the app, so
 * that the app run directly (`npm run synth`) leaves no stack of a deployment since removed.
 */
export function removeSynthesizedStacks(outdir?: string): void {
  rmSync(path.join(outputFolder(outdir), "stacks"), { recursive: true, force: true });
}

/**
 * Removes what an earlier synthesis wrote to the output directory, so that after a refused
 * configuration no stale `cdk.tf.json` is left to be deployed (`cdktf deploy --skip-synth`) or
 * reviewed as if it were current. Only cdktf's own entries are removed, and only from a folder
 * that holds a cdktf manifest.
 */
export function removeStaleOutput(outdir?: string): void {
  const dir = outputFolder(outdir);
  if (!existsSync(path.join(dir, "manifest.json"))) return;
  removeSynthesizedStacks(dir);
  rmSync(path.join(dir, "manifest.json"), { force: true });
}

/**
 * Removes what a synthesis that failed midway wrote: cdktf writes each stack's folder in turn
 * and its manifest last, so the folders of the stacks being synthesized are listed in no
 * manifest yet. Then removes the earlier output, as removeStaleOutput does.
 */
export function removeUnfinishedOutput(outdir: string, stackIds: readonly string[]): void {
  const stacks = path.join(outputFolder(outdir), "stacks");
  for (const id of stackIds) rmSync(path.join(stacks, id), { recursive: true, force: true });
  if (existsSync(stacks) && readdirSync(stacks).length === 0) rmSync(stacks, { recursive: true, force: true });
  removeStaleOutput(outdir);
}

/** What cdktf writes in each stack's directory, in each output format (`cdktf synth` or `--hcl`). */
const FORMAT_FILES = { json: ["cdk.tf.json"], hcl: ["cdk.tf", "metadata.json"] } as const;

/**
 * Removes the files of the other format that an earlier synthesis left in each stack's
 * directory: Terraform loads `cdk.tf` and `cdk.tf.json` alike, and would find every block twice.
 * The stack directories themselves stay, with Terraform's own files (`.terraform/`, the lock file).
 */
export function removeOtherFormat(outdir: string, hcl: boolean): void {
  const stacks = path.join(outputFolder(outdir), "stacks");
  if (!existsSync(stacks)) return;
  for (const entry of readdirSync(stacks, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of FORMAT_FILES[hcl ? "json" : "hcl"]) rmSync(path.join(stacks, entry.name, file), { force: true });
  }
}
