/**
 * Polls the health check URL until it is healthy or the deadline passes. The deadline is hard:
 * each request gets at most the time left, and no attempt starts too close to it.
 */
import { describeOutcome, formatSeconds, isHealthy, type Outcome } from "./outcome";
import { probe as httpProbe, type Probe } from "./probe";

/**
 * A single request never waits longer than this, so that a server that accepts connections and
 * never answers still leaves room for further attempts before the deadline.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * No attempt starts unless it can wait at least this long for an answer (or the whole request
 * timeout, if that is shorter). A request squeezed into the last moments before the deadline
 * would end as "no answer" and hide what the server really said on the attempts before.
 */
export const MIN_ATTEMPT_MS = 1_000;

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
  const minAttemptMs = Math.min(requestTimeoutMs, MIN_ATTEMPT_MS);

  for (let attempt = 1; ; attempt++) {
    const left = deadline - clock.now();
    const outcome = await probe(options.url, Math.max(1, Math.min(requestTimeoutMs, left)));
    const elapsedMs = clock.now() - start;
    options.log(`${stamp(elapsedMs)} attempt ${attempt}: ${describeOutcome(outcome)}`);
    if (isHealthy(outcome)) return { healthy: true, attempts: attempt, elapsedMs, last: outcome };
    // Stop now, rather than sleep for nothing, when the next attempt would have too little time.
    if (deadline - clock.now() - options.intervalMs < minAttemptMs) {
      return { healthy: false, attempts: attempt, elapsedMs: clock.now() - start, last: outcome };
    }
    await clock.sleep(options.intervalMs);
  }
}

/** `[  12s]`: whole seconds since the first attempt, padded so that the lines align. */
function stamp(elapsedMs: number): string {
  return `[${String(Math.floor(elapsedMs / 1000)).padStart(4)}s]`;
}

/** The line that sums up a run: healthy or not, after how long, and the last result. */
export function verdict(url: string, result: PollResult, timeoutMs: number): string {
  const attempts = `${result.attempts} attempt${result.attempts === 1 ? "" : "s"}`;
  const took = formatSeconds(result.elapsedMs);
  if (result.healthy) return `healthy: ${url} answered 200 OK after ${attempts} in ${took}`;
  return `unhealthy: ${url} did not answer 200 OK in ${attempts} over ${took} (deadline ${formatSeconds(timeoutMs)}); last: ${describeOutcome(result.last)}`;
}
