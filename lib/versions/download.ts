/**
 * GET of one live source over HTTPS (or HTTP to this machine), as `npm run versions` asks them:
 * bounded in time and size, redirects checked hop by hop, every failure a SourceError.
 */
import { chartRepositoryUrlProblem, redactedUrl } from "./repository-url";
import { seconds, SourceError } from "./source-error";

/** Redirects followed, each checked before it is requested. */
const MAX_REDIRECTS = 5;

/** How one source is fetched: its time, its size bound, what it must be, what it accepts. */
export interface DownloadLimits {
  /** The whole exchange, redirects and body included. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** What the answer must be, for messages: "a chart index". */
  readonly what: string;
  /** The request's Accept header. */
  readonly accept: string;
}

/** GETs `url` as text within `limits`. Throws SourceError naming the URL and what went wrong. */
export async function downloadText(url: string, limits: DownloadLimits): Promise<string> {
  const { timeoutMs } = limits;
  // The timeout is a timer of our own, not AbortSignal.timeout: fetch's timers do not hold the
  // process open, so when a server closes the connection without answering, Node could run out
  // of work before fetch settles and the command would end with no report. This timer holds the
  // process open until the exchange is over, and ends it at the timeout.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
  try {
    const response = await fetchCheckingRedirects(url, controller.signal, limits.accept);
    if (!response.ok) throw new SourceError(url, `answered HTTP ${response.status}`);
    return await readLimited(url, response, limits);
  } catch (error) {
    if (error instanceof SourceError) throw error;
    // By shape, not instanceof: fetch's errors come from Node's own realm.
    const { name, cause } = (error ?? {}) as { name?: unknown; cause?: unknown };
    if (name === "TimeoutError") throw new SourceError(url, `no complete answer within ${seconds(timeoutMs)}`);
    if (cause !== undefined) throw new SourceError(url, `could not be reached: ${networkReason(cause)}`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET with redirects followed by hand: each target is checked against the rules for a chart
 * repository (HTTPS, or HTTP to this machine; no credentials) before it is requested, so a
 * redirect can never send the request off HTTPS or to another host's plain HTTP.
 */
async function fetchCheckingRedirects(url: string, signal: AbortSignal, accept: string): Promise<Response> {
  let target = url;
  for (let hop = 0; ; hop++) {
    const response = await fetch(target, { signal, redirect: "manual", headers: { accept } });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || location === null) return response;
    await response.body?.cancel().catch(() => undefined);
    const next = new URL(location, target).toString();
    const problem = chartRepositoryUrlProblem(next);
    if (problem !== undefined) throw new SourceError(url, `redirected to ${redactedUrl(next)}, which was not followed: it ${problem.replace(/^must be/, "is not").replace(/^must not/, "must not")}`);
    if (hop + 1 > MAX_REDIRECTS) throw new SourceError(url, `redirected more than ${MAX_REDIRECTS} times`);
    target = next;
  }
}

async function readLimited(url: string, response: Response, limits: DownloadLimits): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limits.maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new SourceError(url, `answered more than ${limits.maxBytes / 1024 / 1024} MB, which is not ${limits.what}`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** fetch's "fetch failed" carries the reason in `cause`: a code such as ECONNREFUSED, or several tries. */
function networkReason(cause: unknown): string {
  const errors = (cause as { errors?: unknown } | null)?.errors;
  const first = Array.isArray(errors) && errors.length > 0 ? errors[0] : cause;
  const code = (first as { code?: unknown } | null)?.code ?? (cause as { code?: unknown } | null)?.code;
  const message = String((first as { message?: unknown } | null)?.message ?? first).split("\n")[0];
  return typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message;
}
