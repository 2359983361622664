/**
 * The chart maintainers' live compatibility table (Docs/VersionCompatibility.md of the chart's
 * repository), read so that `npm run versions` can say where the copy synthesis judges by
 * (compatibility.ts) is older. The page is Markdown: a table whose header names `AKS 1.NN`
 * columns and whose rows start with a virtual node line `1.NN`, cells holding ✅, ❌ or ❓, a cell
 * possibly marked `*` for a footnote below the table (`\* VN2 1.3307.26033004 and higher
 * compatible with AKS 1.34`) that says from which build the mark holds.
 */
import { AKS_COLUMNS, COMPATIBILITY_TABLE_DATE, ROWS, type Mark } from "./compatibility";
import { downloadText } from "./download";
import { printable, SourceError } from "./source-error";

/** Where the maintainers keep the table, on the default branch of the chart's repository. */
export const COMPATIBILITY_DOC_URL = "https://raw.githubusercontent.com/microsoft/virtualnodesOnAzureContainerInstances/main/Docs/VersionCompatibility.md";

/** The page is a few kilobytes. */
const MAX_DOC_BYTES = 256 * 1024;

const MARKS: readonly Mark[] = ["✅", "❌", "❓"];
const CHART_VERSION = /\b1\.\d{4}\.\d{8}\b/;

/** One cell of the table: its mark, and the build it holds from when a footnote says so. */
export interface Cell {
  readonly mark: Mark;
  readonly from?: string;
}

export interface CompatibilityDoc {
  readonly url: string;
  /** AKS minor versions of the columns. */
  readonly columns: readonly number[];
  /** Per virtual node line (minor version), its cells by AKS minor version. */
  readonly rows: ReadonlyMap<number, ReadonlyMap<number, Cell>>;
}

/** GETs and reads the table. Throws SourceError when it cannot be asked or is not the table. */
export async function readCompatibilityDoc(url: string, timeoutMs: number): Promise<CompatibilityDoc> {
  const text = await downloadText(url, { timeoutMs, maxBytes: MAX_DOC_BYTES, what: "the compatibility page", accept: "text/markdown, text/plain, */*" });
  const doc = parseCompatibilityDoc(text, url);
  if (doc === undefined) throw new SourceError(url, "holds no table of virtual node versions against AKS 1.NN columns");
  return doc;
}

/** The cells of a Markdown table line, trimmed, without the outer pipes. */
function cellsOf(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((cell) => cell.trim());
}

/** Parses the page; undefined when it holds no such table. */
export function parseCompatibilityDoc(text: string, url: string): CompatibilityDoc | undefined {
  const lines = text.split(/\r?\n/);
  const header = lines.findIndex((line) => line.trim().startsWith("|") && /AKS\s+1\.\d+/.test(line));
  if (header < 0) return undefined;
  const columns = cellsOf(lines[header]).slice(1).map((cell) => Number(/AKS\s+1\.(\d+)/.exec(cell)?.[1]));
  if (columns.length === 0 || columns.some((c) => !Number.isInteger(c))) return undefined;
  // Footnotes are written `\* ...`, `\*\* ...` (escaped, so that Markdown shows the stars).
  const footnotes = lines.slice(header).map((line) => line.trim().replace(/\\\*/g, "*")).filter((line) => /^\*+\s/.test(line));
  const rows = new Map<number, Map<number, Cell>>();
  for (const line of lines.slice(header + 2)) {
    if (!line.trim().startsWith("|")) break;
    const [first, ...rest] = cellsOf(line);
    const build = /^1\.(\d+)$/.exec(first)?.[1];
    if (build === undefined) continue;
    const cells = new Map<number, Cell>();
    rest.forEach((cell, i) => {
      const mark = MARKS.find((m) => cell.includes(m));
      if (mark === undefined || i >= columns.length) return;
      const stars = /\*+/.exec(cell)?.[0];
      const note = stars === undefined ? undefined : footnotes.find((f) => f.startsWith(`${stars} `) && f.includes(`AKS 1.${columns[i]}`));
      const from = (note ?? cell).match(CHART_VERSION)?.[0];
      cells.set(columns[i], from === undefined ? { mark } : { mark, from: printable(from) });
    });
    rows.set(Number(build), cells);
  }
  return rows.size === 0 ? undefined : { url, columns, rows };
}

/** The built-in copy as cells, for comparison. */
function builtInCell(build: number, aks: number): Cell | undefined {
  const row = ROWS.find((r) => r.build === build);
  const column = AKS_COLUMNS.indexOf(aks);
  const mark = row && column >= 0 ? row.marks[column] : undefined;
  if (mark === undefined) return undefined;
  const from = row?.testedFrom?.[aks];
  return from === undefined ? { mark } : { mark, from };
}

const show = (cell: Cell | undefined): string => (cell === undefined ? "no mark" : cell.from ? `${cell.mark} from ${cell.from}` : cell.mark);

/**
 * Where the live table says something the built-in copy does not: columns and rows it lacks, and
 * cells that differ. Empty when the copy is current.
 */
export function builtInDifferences(live: CompatibilityDoc): string[] {
  const differences: string[] = [];
  const newColumns = live.columns.filter((c) => !AKS_COLUMNS.includes(c));
  if (newColumns.length > 0) differences.push(`columns for AKS ${newColumns.map((c) => `1.${c}`).join(", ")}`);
  const newRows = [...live.rows.keys()].filter((b) => !ROWS.some((r) => r.build === b));
  if (newRows.length > 0) differences.push(`rows for ${newRows.map((b) => `1.${b}`).join(", ")} builds`);
  for (const [build, cells] of live.rows) {
    if (newRows.includes(build)) continue;
    for (const aks of live.columns.filter((c) => AKS_COLUMNS.includes(c))) {
      const now = cells.get(aks);
      const copy = builtInCell(build, aks);
      if (show(now) !== show(copy)) differences.push(`1.${build} builds on AKS 1.${aks}: ${show(now)} (built-in: ${show(copy)})`);
    }
  }
  return differences;
}

/** The sentence the report prints for a built-in copy older than the live table. */
export function staleTableMessage(live: CompatibilityDoc, differences: readonly string[]): string {
  return (
    `the built-in compatibility table (${COMPATIBILITY_TABLE_DATE}, lib/versions/compatibility.ts) is older than the chart maintainers' table at ${live.url}, ` +
    `which has ${differences.join("; ")}: synthesis judges chart and cluster pairs by the built-in one until it is updated`
  );
}
