/**
 * What one health check request came to, and how a line of output says it. The polling loop,
 * the verdict and the advice reason about these; probe.ts produces them.
 */

export type Outcome =
  /** Some HTTP server answered in full; `body` holds at most the first BODY_LIMIT bytes. */
  | { readonly kind: "answer"; readonly status: number; readonly body: string }
  /**
   * No complete answer before the request's own timeout. `stage` says how far it got: no TCP
   * connection, connected but no status line and headers, or headers but the body stalled.
   */
  | { readonly kind: "no-answer"; readonly waitedMs: number; readonly stage: "connect" | "headers" | "body"; readonly status?: number }
  /** The server closed the connection (FIN) before a complete answer; `status` if headers came. */
  | { readonly kind: "closed"; readonly status?: number }
  /** The connection failed: `code` as Node reports it (e.g. ECONNREFUSED) where it gives one. */
  | { readonly kind: "network"; readonly code?: string; readonly message: string };

/** Enough to recognise `OK` and to quote what answered instead; more is never needed. */
export const BODY_LIMIT = 4096;

/** The operator's contract: HTTP 200 and the body `OK`. */
export function isHealthy(outcome: Outcome): boolean {
  return outcome.kind === "answer" && outcome.status === 200 && outcome.body.trim() === "OK";
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed while sending the request",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "could not connect",
};

/** One short phrase for an attempt line: `HTTP 503`, `connection refused (ECONNREFUSED)`. */
export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case "answer":
      if (isHealthy(outcome)) return "HTTP 200 OK";
      if (outcome.status === 200) return `HTTP 200 but the body is ${quote(outcome.body)}, not OK`;
      return outcome.body.trim() === "" ? `HTTP ${outcome.status}` : `HTTP ${outcome.status} ${quote(outcome.body)}`;
    case "no-answer":
      if (outcome.stage === "connect") return `could not connect within ${formatSeconds(outcome.waitedMs)}`;
      if (outcome.stage === "body") return `HTTP ${outcome.status}, then the body stalled: not complete within ${formatSeconds(outcome.waitedMs)}`;
      return `no answer within ${formatSeconds(outcome.waitedMs)}`;
    case "closed":
      return outcome.status === undefined ? "connection closed without an answer" : `HTTP ${outcome.status}, then the connection closed before the body was complete`;
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
