/** README.md, read the way the tests check it: a section's shell commands, its JSON examples. */
import { readFileSync } from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../lib/project-root";

export const README = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

/** The text of the `## <heading>` section, up to the next `## ` heading. */
export function readmeSection(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`README.md has no "## ${heading}" section`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end === -1 ? undefined : end);
}

/** The fenced code blocks of a text with the given info string (`sh`, `json`), in order. */
export function codeBlocks(text: string, language: string): string[] {
  const fence = new RegExp("^```" + language + "\\n([\\s\\S]*?)^```$", "gm");
  return [...text.matchAll(fence)].map((match) => match[1]);
}

/** Every command line of the section's `sh` blocks, as written (blank lines and comment lines left out). */
export function readmeCommands(heading: string): string[] {
  return codeBlocks(readmeSection(heading), "sh")
    .flatMap((block) => block.split("\n"))
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
}
