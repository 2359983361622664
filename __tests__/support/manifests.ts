/** Release manifests for tests: the fixtures, and edited copies of them in a scratch folder. */
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";

export const MANIFEST_FIXTURES = path.join(__dirname, "..", "fixtures", "manifests");
export const RELEASE_1 = path.join(MANIFEST_FIXTURES, "release-1.yaml");
export const RELEASE_2 = path.join(MANIFEST_FIXTURES, "release-2.yaml");
export const RELEASE_1_TEXT = readFileSync(RELEASE_1, "utf8");

let scratch: string | undefined;
let written = 0;

/** Writes `text` to a new file in this process's scratch folder and returns its path. */
export function manifestFile(text: string): string {
  scratch ??= mkdtempSync(path.join(tmpdir(), "uid2-manifest-"));
  const file = path.join(scratch, `manifest-${++written}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** release-1 with `extra` appended as one more document (document 4, starting at line 92). */
export function releaseWith(extra: string): string {
  return `${RELEASE_1_TEXT}\n---\n${extra}`;
}
