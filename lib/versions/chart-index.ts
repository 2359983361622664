/**
 * The chart repository's `index.yaml`: which versions of the virtual node chart are published.
 * A standard Helm repository index (facts.md, "Release currency"): `entries.virtualnode[]`,
 * each with `version`, `appVersion`, `created` and `urls`.
 */
import { parse, Parser } from "yaml";
import { firstTooDeepCollection } from "../manifest/depth";
import { chartRepositoryUrlProblem, redactedUrl } from "./repository-url";
import { printable, seconds, SourceError } from "./source-error";

/** The chart the operator stack installs (stacks/operator-stack.ts, VIRTUAL_NODE_CHART). */
export const CHART_NAME = "virtualnode";

/** The published index is tens of kilobytes; a much larger answer is not a chart index. */
const MAX_INDEX_BYTES = 2 * 1024 * 1024;
/** A Helm index nests five levels deep (entries, chart, list, entry, urls); deeper is not one. */
const MAX_INDEX_DEPTH = 16;
/** Redirects followed, each checked before it is requested. */
const MAX_REDIRECTS = 5;

export interface ChartIndex {
  /** The index's address, `<repository>/index.yaml`. */
  readonly url: string;
  /** The chart's versions, as listed. */
  readonly versions: readonly string[];
}

/** `<repository>/index.yaml`, with or without a trailing slash on the repository. */
export function indexUrl(repository: string): string {
  return new URL("index.yaml", repository.endsWith("/") ? repository : `${repository}/`).toString();
}

/** GETs and reads the index; the whole exchange must finish within `timeoutMs`. Throws SourceError. */
export async function readChartIndex(repository: string, timeoutMs: number): Promise<ChartIndex> {
  const url = indexUrl(repository);
  const text = await download(url, timeoutMs);
  // Nesting is bounded before the document is parsed: composing recurses, and a few MB of
  // `[[[...` would take minutes and gigabytes; flow nesting is counted in one pass first, since
  // even the parser's tokens for it take seconds.
  const tooDeep = firstTooDeepFlow(text, MAX_INDEX_DEPTH) ?? firstTooDeepCollection(Array.from(new Parser().parse(text)), MAX_INDEX_DEPTH);
  if (tooDeep !== undefined) throw new SourceError(url, `nests deeper than ${MAX_INDEX_DEPTH} levels (at offset ${tooDeep}), which is not a chart index`);
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new SourceError(url, `is not YAML: ${String((error as Error).message).split("\n")[0]}`);
  }
  const entries = (document as { entries?: Record<string, unknown> } | null)?.entries?.[CHART_NAME];
  if (!Array.isArray(entries) || entries.some((entry) => typeof (entry as { version?: unknown } | null)?.version !== "string")) {
    throw new SourceError(url, `is not a Helm repository index listing the ${CHART_NAME} chart (entries.${CHART_NAME}[].version)`);
  }
  return { url, versions: entries.map((entry) => printable((entry as { version: string }).version)) };
}

async function download(url: string, timeoutMs: number): Promise<string> {
  // The timeout is a timer of our own, not AbortSignal.timeout: fetch's timers do not hold the
  // process open, so when a server closes the connection without answering, Node could run out
  // of work before fetch settles and the command would end with no report. This timer holds the
  // process open until the exchange is over, and ends it at the timeout.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
  try {
    const response = await fetchCheckingRedirects(url, controller.signal);
    if (!response.ok) throw new SourceError(url, `answered HTTP ${response.status}`);
    return await readLimited(url, response);
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
 * The offset where `[` and `{` outside quotes first nest deeper than `max`, or undefined. A
 * lower bound of the YAML nesting (quoted text is skipped roughly, which can only count less).
 */
function firstTooDeepFlow(text: string, max: number): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === quote || c === "\n") quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "[" || c === "{") {
      if (++depth > max) return i;
    } else if ((c === "]" || c === "}") && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/**
 * GET with redirects followed by hand: each target is checked against the rules for a chart
 * repository (HTTPS, or HTTP to this machine; no credentials) before it is requested, so a
 * redirect can never send the request off HTTPS or to another host's plain HTTP.
 */
async function fetchCheckingRedirects(url: string, signal: AbortSignal): Promise<Response> {
  let target = url;
  for (let hop = 0; ; hop++) {
    const response = await fetch(target, { signal, redirect: "manual", headers: { accept: "application/x-yaml, text/yaml, */*" } });
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

async function readLimited(url: string, response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_INDEX_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new SourceError(url, `answered more than ${MAX_INDEX_BYTES / 1024 / 1024} MB, which is not a chart index`);
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
