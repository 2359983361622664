/**
 * Text from a source, safe to print on a terminal: ANSI escape sequences and other control
 * characters (which could rewrite what the terminal shows, or hide a line) become `?`; line
 * breaks are kept only where `keepNewlines` says so.
 */
export function printable(text: string, keepNewlines = false): string {
  const withoutEscapes = text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, "?");
  return withoutEscapes.replace(keepNewlines ? /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g : /[\u0000-\u001f\u007f-\u009f]/g, "?");
}

/** A live source `npm run versions` could not ask, or whose answer it could not use: exit code 2. */
export class SourceError extends Error {
  /** What was asked, as a person would retry it: a URL, or the az command line. */
  readonly source: string;
  /** Why, with what to do about it where there is something to do. */
  readonly reason: string;

  constructor(source: string, reason: string) {
    super(`${printable(source)}: ${printable(reason, true)}`);
    this.name = "SourceError";
    this.source = printable(source);
    this.reason = printable(reason, true);
  }
}

/** `0.5s`, `10s`: how long a source was given. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))}s`;
}
