/** Formats the benchmark's figures as plain-text tables. */

export interface Goal {
  readonly name: string;
  readonly measured: string;
  readonly target: string;
  /** Undefined when the goal was not measured. */
  readonly pass: boolean | undefined;
}

/** Left-aligned columns, a dashed rule under the header. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function goalTable(goals: readonly Goal[]): string {
  return table(
    ["Goal", "Measured", "Target", "Result"],
    goals.map((g) => [g.name, g.measured, g.target, g.pass === undefined ? "SKIPPED" : g.pass ? "PASS" : "FAIL"]),
  );
}

export const seconds = (s: number): string => `${s.toFixed(2)} s`;
export const megabytes = (mb: number): string => `${Math.round(mb)} MB`;
