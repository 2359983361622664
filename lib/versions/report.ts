/** What `npm run versions` prints: one table, or the same findings as JSON. */
import type { Finding } from "./assess";
import type { SourceError } from "./source-error";

export interface Report {
  /** The configuration file that was read. */
  readonly file: string;
  readonly exitCode: number;
  readonly findings: readonly Finding[];
  /** The sources that could not be asked. */
  readonly errors: readonly SourceError[];
  /**
   * The chart maintainers' live compatibility table against the built-in copy, when it was read:
   * where the copy is older (empty when it is current).
   */
  readonly compatibilityTable?: { readonly source: string; readonly differences: readonly string[]; readonly message?: string };
}

const COLUMNS: readonly [string, (finding: Finding) => string][] = [
  ["deployment", (f) => f.deployment],
  ["setting", (f) => f.setting],
  ["configured", (f) => f.configured],
  ["current", (f) => f.current],
  ["verdict", (f) => f.verdict],
  ["set", (f) => f.set ?? "-"],
];

export function renderTable(report: Report): string {
  const rows = [COLUMNS.map(([title]) => title), ...report.findings.map((finding) => COLUMNS.map(([, cell]) => cell(finding)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join("  "));
  return [...lines, "", ...summary(report)].join("\n");
}

function summary(report: Report): string[] {
  const changes = report.findings.filter((f) => f.status === "change").length;
  const lines = report.errors.map((error) => `could not ask ${error.source}: ${error.reason}`);
  for (const f of report.findings) if (f.note) lines.push(`note: ${f.deployment} ${f.setting}: ${f.note}`);
  const table = report.compatibilityTable;
  if (table?.message) lines.push(`The app should change: ${table.message}.`);
  if (changes > 0) {
    lines.push(`${changes} setting${changes === 1 ? "" : "s"} should change: set the values of the "set" column in ${report.file} (this command never edits it).`);
  }
  if (report.errors.length > 0) lines.push("The check is incomplete (exit code 2).");
  else if (changes === 0 && !table?.message) lines.push("Everything is current.");
  return lines;
}

export function renderJson(report: Report): string {
  return JSON.stringify(
    {
      configuration: report.file,
      exitCode: report.exitCode,
      findings: report.findings,
      ...(report.compatibilityTable ? { compatibilityTable: report.compatibilityTable } : {}),
      errors: report.errors.map((error) => ({ source: error.source, reason: error.reason })),
    },
    null,
    2,
  );
}
