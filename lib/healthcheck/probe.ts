/**
 * One health check request, turned into an outcome the polling loop and the advice can reason
 * about. Nothing here throws: every failure is an outcome.
 */

/** What one request to the health check URL came to. */
export type Outcome =
  /** Some HTTP server answered; `body` holds at most the first BODY_LIMIT bytes. */
  | { readonly kind: "answer"; readonly status: number; readonly body: string }
  /** Nothing answered before the request's own timeout. */
  | { readonly kind: "no-answer"; readonly waitedMs: number }
  /** The connection failed: `code` as Node reports it, e.g. ECONNREFUSED. */
  | { readonly kind: "network"; readonly code: string; readonly message: string };

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
      signal: AbortSignal.timeout(timeoutMs),
      // The operator answers itself; a redirect means something else holds the address, and
      // following it could report another server's 200 as the operator's.
      redirect: "manual",
      headers: { accept: "text/plain" },
    });
    return { kind: "answer", status: response.status, body: await readStart(response) };
  } catch (error) {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
      return { kind: "no-answer", waitedMs: timeoutMs };
    }
    return networkFailure(error);
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

/** fetch reports "fetch failed"; the reason, with its code, is in `cause`. */
function networkFailure(error: unknown): Outcome {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const first = firstOf(cause);
  const code = codeOf(first) ?? codeOf(cause) ?? "UNKNOWN";
  const message = first instanceof Error ? first.message : String(first);
  return { kind: "network", code, message };
}

/** Trying every address of a host (IPv6 and IPv4) fails with an AggregateError of each try. */
function firstOf(cause: unknown): unknown {
  if (cause instanceof AggregateError && cause.errors.length > 0) return cause.errors[0];
  return cause;
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
    case "network":
      return `${NETWORK_WORDS[outcome.code] ?? outcome.message} (${outcome.code})`;
  }
}

/** A body as one short quoted line, so an HTML error page does not flood the output. */
function quote(body: string): string {
  const line = body.trim().replace(/\s+/g, " ");
  if (line === "") return "(empty)";
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 57)}...` : line);
}

/** `0.05s`, `2.5s`, `24s`: fractions only where they are a noticeable part of the value. */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  const digits = seconds < 1 ? 2 : seconds < 10 ? 1 : 0;
  return `${Number(seconds.toFixed(digits))}s`;
}
