/**
 * Polls the health check URL until it is healthy or the deadline passes. The deadline is hard:
 * each request gets at most the time left, and no attempt starts after it.
 */
import { describeOutcome, formatSeconds, isHealthy, probe as httpProbe, type Outcome, type Probe } from "./probe";

/**
 * A single request never waits longer than this, so that a server that accepts connections and
 * never answers still leaves room for further attempts before the deadline.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface Clock {
  /** Milliseconds on a monotonic scale: a wall-clock change must not shift the deadline. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PollOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** Receives one line per attempt. */
  readonly log: (line: string) => void;
  readonly clock?: Clock;
  readonly probe?: Probe;
  readonly requestTimeoutMs?: number;
}

export interface PollResult {
  readonly healthy: boolean;
  readonly attempts: number;
  readonly elapsedMs: number;
  /** The outcome of the final attempt: the one the verdict and the advice are about. */
  readonly last: Outcome;
}

export async function poll(options: PollOptions): Promise<PollResult> {
  const clock = options.clock ?? systemClock;
  const probe = options.probe ?? httpProbe;
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const start = clock.now();
  const deadline = start + options.timeoutMs;

  for (let attempt = 1; ; attempt++) {
    const left = deadline - clock.now();
    const outcome = await probe(options.url, Math.max(1, Math.min(requestTimeoutMs, left)));
    const elapsedMs = clock.now() - start;
    options.log(`${stamp(elapsedMs)} attempt ${attempt}: ${describeOutcome(outcome)}`);
    if (isHealthy(outcome)) return { healthy: true, attempts: attempt, elapsedMs, last: outcome };
    // The next attempt would start after the deadline: stop now rather than sleep for nothing.
    if (deadline - clock.now() <= options.intervalMs) {
      return { healthy: false, attempts: attempt, elapsedMs: clock.now() - start, last: outcome };
    }
    await clock.sleep(options.intervalMs);
  }
}

/** `[  12s]`: whole seconds since the first attempt, padded so that the lines align. */
function stamp(elapsedMs: number): string {
  return `[${String(Math.floor(elapsedMs / 1000)).padStart(4)}s]`;
}

/** The last line of a run, the one a person reads first. */
export function verdict(url: string, result: PollResult, timeoutMs: number): string {
  const attempts = `${result.attempts} attempt${result.attempts === 1 ? "" : "s"}`;
  const took = formatSeconds(result.elapsedMs);
  if (result.healthy) return `healthy: ${url} answered 200 OK after ${attempts} in ${took}`;
  return `unhealthy: ${url} did not answer 200 OK within ${formatSeconds(timeoutMs)} (${attempts}); last: ${describeOutcome(result.last)}`;
}
