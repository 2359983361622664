import { existsSync, rmSync } from "fs";
import * as path from "path";

/**
 * Removes what an earlier synthesis wrote to the output directory, so that after a refused
 * configuration no stale `cdk.tf.json` is left to be deployed (`cdktf deploy --skip-synth`) or
 * reviewed as if it were current. Only cdktf's own entries are removed, and only from a folder
 * that holds a cdktf manifest.
 */
export function removeStaleOutput(outdir: string = process.env.CDKTF_OUTDIR ?? "cdktf.out"): void {
  const dir = path.resolve(outdir);
  if (!existsSync(path.join(dir, "manifest.json"))) return;
  rmSync(path.join(dir, "stacks"), { recursive: true, force: true });
  rmSync(path.join(dir, "manifest.json"), { force: true });
}
