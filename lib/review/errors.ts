/**
 * Why the review could not be made: not a git repository, an unknown ref, a side whose synthesis
 * was refused. The command prints the message without a stack trace and exits non-zero.
 */
export class ReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReviewError";
  }
}
