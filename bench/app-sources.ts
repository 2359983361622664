/** The files the app reads at synthesis, and a digest to notice when they change mid-benchmark. */
import { createHash } from "crypto";
import { readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";

/** Everything the app reads at synthesis: its code, the configuration and the sample manifest. */
const APP_ENTRIES = ["main.ts", "synth.ts", "stacks", "constructs", "lib", "config", "operator"];

/** Paths relative to the project root, sorted. */
export function appFiles(projectRoot: string): string[] {
  const files: string[] = [];
  const walk = (relative: string): void => {
    if (statSync(path.join(projectRoot, relative)).isDirectory()) {
      for (const name of readdirSync(path.join(projectRoot, relative)).sort()) walk(path.join(relative, name));
    } else {
      files.push(relative);
    }
  };
  APP_ENTRIES.forEach(walk);
  return files;
}

/**
 * Other people edit the app while the benchmark runs; if the sources differ between its start
 * and end, the two variants may have run different code.
 */
export function appSourcesDigest(projectRoot: string): string {
  const hash = createHash("sha256");
  for (const file of [...appFiles(projectRoot), "cdktf.json"]) hash.update(`${file}\0`).update(readFileSync(path.join(projectRoot, file))).update("\0");
  return hash.digest("hex");
}
