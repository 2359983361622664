/**
 * One health check request, turned into an outcome the polling loop and the advice can reason
 * about. Timeouts and connection failures are outcomes, not exceptions.
 */

/** What one request to the health check URL came to. */
export type Outcome =
  /** Some HTTP server answered; `body` holds at most the first BODY_LIMIT bytes. */
  | { readonly kind: "answer"; readonly status: number; readonly body: string }
  /** Nothing answered before the request's own timeout. */
  | { readonly kind: "no-answer"; readonly waitedMs: number }
  /** The connection failed: `code` as Node reports it (e.g. ECONNREFUSED) where it gives one. */
  | { readonly kind: "network"; readonly code?: string; readonly message: string };

export type Probe = (url: string, timeoutMs: number) => Promise<Outcome>;

/** Enough to recognise `OK` and to quote what answered instead; more is never needed. */
const BODY_LIMIT = 4096;

/** The operator's contract: HTTP 200 and the body `OK`. */
export function isHealthy(outcome: Outcome): boolean {
  return outcome.kind === "answer" && outcome.status === 200 && outcome.body.trim() === "OK";
}

/** GETs `url`; the whole exchange, body included, must finish within `timeoutMs`. */
export const probe: Probe = async (url, timeoutMs) => {
  try {
    const response = await fetch(url, {
      // Timers take whole milliseconds; rounding down keeps the request inside the deadline.
      signal: AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs))),
      // The operator answers itself; a redirect means something else holds the address, and
      // following it could report another server's 200 as the operator's.
      redirect: "manual",
      headers: { accept: "text/plain" },
    });
    return { kind: "answer", status: response.status, body: await readStart(response) };
  } catch (error) {
    // Checked by shape, not instanceof: fetch's errors come from Node's own realm, which is
    // not the caller's when this runs inside a VM context such as a test runner's.
    const { name, cause } = (error ?? {}) as { name?: unknown; cause?: unknown };
    if (name === "TimeoutError") return { kind: "no-answer", waitedMs: timeoutMs };
    // fetch wraps every connection failure in an error whose `cause` says what happened;
    // anything else is a fault in this code and must not pass for an unreachable operator.
    if (cause !== undefined) return networkFailure(cause);
    throw error;
  }
};

/** Reads at most BODY_LIMIT bytes, so a server streaming a large body cannot fill memory. */
async function readStart(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < BODY_LIMIT) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString("utf8");
}

/** The reason fetch gave for "fetch failed", with its code. */
function networkFailure(cause: unknown): Outcome {
  const first = firstOf(cause);
  const code = codeOf(first) ?? codeOf(cause);
  // OpenSSL appends its source location on further lines; the first line is the reason.
  const message = String((first as { message?: unknown } | null | undefined)?.message ?? first).split("\n")[0].trim();
  return code === undefined ? { kind: "network", message } : { kind: "network", code, message };
}

/** Trying every address of a host (IPv6 and IPv4) fails with an AggregateError of each try. */
function firstOf(cause: unknown): unknown {
  const errors = (cause as { errors?: unknown } | null | undefined)?.errors;
  return Array.isArray(errors) && errors.length > 0 ? errors[0] : cause;
}

function codeOf(value: unknown): string | undefined {
  const code = (value as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  UND_ERR_SOCKET: "connection closed without an answer",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "could not connect",
  UND_ERR_CONNECT_TIMEOUT: "could not connect",
};

/** One short phrase for an attempt line: `HTTP 503`, `connection refused (ECONNREFUSED)`. */
export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case "answer":
      if (isHealthy(outcome)) return "HTTP 200 OK";
      if (outcome.status === 200) return `HTTP 200 but the body is ${quote(outcome.body)}, not OK`;
      return outcome.body.trim() === "" ? `HTTP ${outcome.status}` : `HTTP ${outcome.status} ${quote(outcome.body)}`;
    case "no-answer":
      return `no answer within ${formatSeconds(outcome.waitedMs)}`;
    case "network": {
      if (outcome.code === undefined) return outcome.message;
      const words = NETWORK_WORDS[outcome.code] ?? (outcome.code.startsWith("ERR_SSL_") ? "TLS handshake failed" : shorten(outcome.message));
      return `${words} (${outcome.code})`;
    }
  }
}

/** A body as one short quoted line, so an HTML error page does not flood the output. */
function quote(body: string): string {
  const line = shorten(body);
  return line === "" ? "(empty)" : JSON.stringify(line);
}

function shorten(text: string): string {
  const line = text.trim().replace(/\s+/g, " ");
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

/** `0.05s`, `2.5s`, `24s`: fractions only where they are a noticeable part of the value. */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  const digits = seconds < 1 ? 2 : seconds < 10 ? 1 : 0;
  return `${Number(seconds.toFixed(digits))}s`;
}
