/**
 * A unified diff of two texts, line by line (Myers' O(ND) algorithm): how a reviewer reads what
 * changed in the operator's decoded confidential-computing policy. Small and self-contained, so
 * the review needs no diff package.
 */

export interface LineOp {
  /** " " kept, "-" only in the old text, "+" only in the new one. */
  readonly kind: " " | "-" | "+";
  readonly text: string;
}

/**
 * Beyond this many differing lines the texts are shown as wholly replaced: such a diff is not
 * readable anyway, and the search's memory grows with the square of this number.
 */
export const MAX_EDIT_LINES = 2000;

/** The edit script that turns `before` into `after`, with as few changed lines as possible. */
export function diffLines(before: readonly string[], after: readonly string[]): LineOp[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const kept = (lines: readonly string[]): LineOp[] => lines.map((text) => ({ kind: " ", text }));
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  return [...kept(before.slice(0, head)), ...middle(a, b), ...kept(before.slice(before.length - tail))];
}

function middle(a: readonly string[], b: readonly string[]): LineOp[] {
  const trace = shortestEditTrace(a, b);
  if (trace === undefined) return [...a.map((text) => ({ kind: "-" as const, text })), ...b.map((text) => ({ kind: "+" as const, text }))];
  return backtrack(a, b, trace);
}

/** Furthest x reached on diagonal k after d edits, for d = 0, 1, ...; kept per d to walk back. */
interface Frontier {
  readonly d: number;
  readonly x: Int32Array;
}

function at(frontier: Frontier, k: number): number {
  return frontier.x[k + frontier.d + 1];
}

function shortestEditTrace(a: readonly string[], b: readonly string[]): Frontier[] | undefined {
  const n = a.length;
  const m = b.length;
  const trace: Frontier[] = [];
  let previous: Frontier = { d: -1, x: new Int32Array(3) };
  for (let d = 0; d <= Math.min(n + m, MAX_EDIT_LINES); d++) {
    const current: Frontier = { d, x: new Int32Array(2 * d + 3) };
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && at(previous, k - 1) < at(previous, k + 1));
      let x = down ? at(previous, k + 1) : at(previous, k - 1) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      current.x[k + d + 1] = x;
      if (x >= n && y >= m) {
        trace.push(current);
        return trace;
      }
    }
    trace.push(current);
    previous = current;
  }
  return undefined;
}

function backtrack(a: readonly string[], b: readonly string[], trace: readonly Frontier[]): LineOp[] {
  const ops: LineOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d - 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(previous, k - 1) < at(previous, k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previous, previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      ops.push({ kind: " ", text: a[--x] });
      y--;
    }
    if (down) ops.push({ kind: "+", text: b[--y] });
    else ops.push({ kind: "-", text: a[--x] });
  }
  while (x > 0) ops.push({ kind: " ", text: a[--x] });
  return ops.reverse();
}

/** Lines of a text; a final newline ends the last line rather than starting an empty one. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * The unified diff (`diff -u`) of two texts: `--- before` and `+++ after` headers, then hunks
 * with `context` unchanged lines around each change. Empty when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, labels: { before: string; after: string }, context = 3): string {
  const ops = diffLines(splitLines(before), splitLines(after));
  const hunks = hunksOf(ops, context);
  if (hunks.length === 0) return "";
  const lines = [`--- ${labels.before}`, `+++ ${labels.after}`];
  for (const hunk of hunks) {
    lines.push(`@@ -${range(hunk.beforeStart, hunk.beforeCount)} +${range(hunk.afterStart, hunk.afterCount)} @@`);
    for (const op of ops.slice(hunk.from, hunk.to)) lines.push(`${op.kind}${op.text}`);
  }
  return `${lines.join("\n")}\n`;
}

interface Hunk {
  /** Slice of the edit script. */
  readonly from: number;
  readonly to: number;
  /** 1-based first line and line count on each side. */
  readonly beforeStart: number;
  readonly beforeCount: number;
  readonly afterStart: number;
  readonly afterCount: number;
}

function hunksOf(ops: readonly LineOp[], context: number): Hunk[] {
  const changed = ops.flatMap((op, i) => (op.kind === " " ? [] : [i]));
  const spans: { from: number; to: number }[] = [];
  for (const i of changed) {
    const from = Math.max(0, i - context);
    const to = Math.min(ops.length, i + context + 1);
    const last = spans[spans.length - 1];
    if (last !== undefined && from <= last.to) last.to = Math.max(last.to, to);
    else spans.push({ from, to });
  }
  return spans.map(({ from, to }) => {
    const before = ops.slice(0, from).filter((op) => op.kind !== "+").length;
    const after = ops.slice(0, from).filter((op) => op.kind !== "-").length;
    const inHunk = ops.slice(from, to);
    return {
      from,
      to,
      beforeStart: before + 1,
      beforeCount: inHunk.filter((op) => op.kind !== "+").length,
      afterStart: after + 1,
      afterCount: inHunk.filter((op) => op.kind !== "-").length,
    };
  });
}

/** `start,count` as diff -u writes it: one line is just its number, an empty range names the line before it. */
function range(start: number, count: number): string {
  if (count === 1) return String(start);
  return count === 0 ? `${start - 1},0` : `${start},${count}`;
}
