/** The code blocks of the project's Markdown docs, whole or by section. */
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../lib/project-root";

/** README.md and every docs/*.md, relative to the project root. */
export function documentationFiles(): string[] {
  const docs = readdirSync(path.join(PROJECT_ROOT, "docs")).filter((name) => name.endsWith(".md")).sort();
  return ["README.md", ...docs.map((name) => path.join("docs", name))];
}

export function readDoc(file: string): string {
  return readFileSync(path.join(PROJECT_ROOT, file), "utf8");
}

/** The lines inside the fenced code blocks of some Markdown. */
export function codeBlockLines(markdown: string): string[] {
  const lines: string[] = [];
  let inBlock = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) inBlock = !inBlock;
    else if (inBlock) lines.push(line.trim());
  }
  return lines;
}

/**
 * The code-block lines of one section: from the heading line `heading` (e.g. `### Teardown`) to
 * the next heading of the same or a higher level. Fails when the heading is missing.
 */
export function sectionCodeLines(file: string, heading: string): string[] {
  const markdown = readDoc(file);
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`${file} has no section "${heading}"`);
  const level = heading.indexOf(" ");
  let inBlock = false;
  let end = start + 1;
  for (; end < lines.length; end++) {
    if (/^\s*```/.test(lines[end])) inBlock = !inBlock;
    else if (!inBlock && /^#+ /.test(lines[end]) && lines[end].indexOf(" ") <= level) break;
  }
  return codeBlockLines(lines.slice(start + 1, end).join("\n"));
}
