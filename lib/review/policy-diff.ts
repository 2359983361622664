/**
 * A unified diff (`diff -u`) of two texts: how a reviewer reads what changed in the operator's
 * decoded confidential-computing policy. The edit script comes from jsdiff (the `diff` package);
 * only the hunk headers are written here, in GNU diff's form.
 */
import { structuredPatch, type StructuredPatchHunk } from "diff";

/**
 * Beyond this many differing lines the texts are shown as wholly replaced: such a diff is not
 * readable anyway, and the search's time and memory grow with this number.
 */
export const MAX_EDIT_LINES = 2000;

/**
 * The unified diff of two texts: `--- before` and `+++ after` headers, then hunks with `context`
 * unchanged lines around each change. Empty when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, labels: { before: string; after: string }, context = 3): string {
  if (before === after) return "";
  const hunks = structuredPatch(labels.before, labels.after, before, after, undefined, undefined, { context, maxEditLength: MAX_EDIT_LINES })?.hunks ?? [
    wholeReplacement(before, after),
  ];
  const lines = [`--- ${labels.before}`, `+++ ${labels.after}`];
  for (const hunk of hunks) {
    lines.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`, ...hunk.lines);
  }
  return `${lines.join("\n")}\n`;
}

/** One hunk that removes every line of `before` and adds every line of `after`. */
function wholeReplacement(before: string, after: string): StructuredPatchHunk {
  const removed = splitLines(before).map((line) => `-${line}`);
  const added = splitLines(after).map((line) => `+${line}`);
  return { oldStart: 1, oldLines: removed.length, newStart: 1, newLines: added.length, lines: [...removed, ...added] };
}

/** Lines of a text; a final newline ends the last line rather than starting an empty one. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** `start,count` as diff -u writes it: one line is just its number, an empty range names the line before it. */
function range(start: number, count: number): string {
  if (count === 1) return String(start);
  return count === 0 ? `${Math.max(0, start - 1)},0` : `${start},${count}`;
}
