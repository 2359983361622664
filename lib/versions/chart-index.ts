/**
 * The chart repository's `index.yaml`: which versions of the virtual node chart are published.
 * A standard Helm repository index (facts.md, "Release currency"): `entries.virtualnode[]`,
 * each with `version`, `appVersion`, `created` and `urls`.
 */
import { parse, Parser } from "yaml";
import { firstTooDeepCollection } from "../manifest/depth";
import { downloadText } from "./download";
import { printable, SourceError } from "./source-error";

/** The chart the operator stack installs (stacks/operator-stack.ts, VIRTUAL_NODE_CHART). */
export const CHART_NAME = "virtualnode";

/** The published index is tens of kilobytes; a much larger answer is not a chart index. */
const MAX_INDEX_BYTES = 2 * 1024 * 1024;
/** A Helm index nests five levels deep (entries, chart, list, entry, urls); deeper is not one. */
const MAX_INDEX_DEPTH = 16;

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
  const text = await downloadText(url, { timeoutMs, maxBytes: MAX_INDEX_BYTES, what: "a chart index", accept: "application/x-yaml, text/yaml, */*" });
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

