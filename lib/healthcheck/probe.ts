/**
 * One health check request, turned into an Outcome. Timeouts and connection failures are
 * outcomes, not exceptions.
 *
 * Built on Node's http client rather than fetch, so that every socket event is in view and the
 * request settles on each: an answer, a close (FIN) or reset (RST) before or during the answer,
 * and a timer for everything slower (no connection, no headers, a stalled body). That timer is
 * ref'd, so a pending request keeps the process alive. With fetch, the abort timer
 * (AbortSignal.timeout) and fetch's own timers are unref'd: when a server accepted the
 * connection and closed it without answering, nothing held the process while fetch worked out
 * the failure, and Node exited with code 0 before any verdict.
 */
import * as http from "http";
import * as https from "https";
import type { Socket } from "net";
import { BODY_LIMIT, type Outcome } from "./outcome";

export type Probe = (url: string, timeoutMs: number) => Promise<Outcome>;

/** GETs `url`; the whole exchange, body included, settles within `timeoutMs`. */
export const probe: Probe = (url, timeoutMs) =>
  new Promise((resolve) => {
    // Timers take whole milliseconds; rounding down keeps the request inside the deadline.
    const waitedMs = Math.max(1, Math.floor(timeoutMs));
    let connected = false;
    let status: number | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;

    const target = new URL(url);
    // No agent: one connection per attempt, closed when it settles, so none outlives the check.
    // Redirects are not followed: the operator answers itself, and following one could report
    // another server's 200 as the operator's.
    const request = (target.protocol === "https:" ? https : http).get(target, { agent: false, headers: { accept: "text/plain" } }, (response) => {
      status = response.statusCode;
      const complete = () => settle({ kind: "answer", status: response.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString("utf8") });
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        // Enough to judge; a server streaming a large body cannot fill memory.
        if (size >= BODY_LIMIT) complete();
      });
      response.on("end", complete);
      // A connection lost mid-body emits an error, then close; close settles it.
      response.on("error", () => undefined);
      response.on("close", () => settle({ kind: "closed", status }));
    });
    const timer = setTimeout(() => {
      settle({ kind: "no-answer", waitedMs, stage: status !== undefined ? "body" : connected ? "headers" : "connect", status });
    }, waitedMs);

    function settle(outcome: Outcome): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(outcome);
    }

    request.on("socket", (socket: Socket) => socket.once("connect", () => (connected = true)));
    request.on("error", (error) => settle(failure(error, request.socket)));
    // The last event of every request: anything not settled by now was closed without an answer.
    request.on("close", () => settle({ kind: "closed", status }));
  });

function failure(error: unknown, socket: Socket | null): Outcome {
  // Node reports a server that closed the connection (FIN) before answering as ECONNRESET
  // "socket hang up", the code of a reset (RST) too; whether the socket saw its end tells them apart.
  if (socket?.readableEnded) return { kind: "closed" };
  const first = firstOf(error);
  const code = codeOf(first) ?? codeOf(error);
  // OpenSSL appends its source location on further lines; the first line is the reason.
  const message = String((first as { message?: unknown } | null | undefined)?.message ?? first).split("\n")[0].trim();
  return code === undefined ? { kind: "network", message } : { kind: "network", code, message };
}

/** Trying every address of a host (IPv6 and IPv4) fails with an AggregateError of each try. */
function firstOf(error: unknown): unknown {
  const errors = (error as { errors?: unknown } | null | undefined)?.errors;
  return Array.isArray(errors) && errors.length > 0 ? errors[0] : error;
}

function codeOf(value: unknown): string | undefined {
  const code = (value as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}
