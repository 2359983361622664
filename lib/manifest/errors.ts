/** Thrown when a release manifest cannot be used, with every problem found in it. */
export class ManifestError extends Error {
  /** Each names the file and, where one applies, the line: `operator.yaml:12: ...`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ManifestError";
    this.problems = problems;
  }
}

/** `file:line: text`, or `file: text` when no line applies. */
export function located(file: string, line: number | undefined, text: string): string {
  return line === undefined ? `${file}: ${text}` : `${file}:${line}: ${text}`;
}
