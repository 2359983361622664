/** A live source `npm run versions` could not ask, or whose answer it could not use: exit code 2. */
export class SourceError extends Error {
  constructor(
    /** What was asked, as a person would retry it: a URL, or the az command line. */
    readonly source: string,
    /** Why, with what to do about it where there is something to do. */
    readonly reason: string,
  ) {
    super(`${source}: ${reason}`);
    this.name = "SourceError";
  }
}

/** `0.5s`, `10s`: how long a source was given. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))}s`;
}
