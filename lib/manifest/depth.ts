/**
 * How deeply a manifest nests, measured without recursion. The YAML composer, the checks and
 * the substitution all walk documents recursively; a file nested thousands of levels deep would
 * overflow the stack in any of them, so nesting is bounded before they run: on the parsed
 * syntax (before composing) and on the value (after aliases are expanded).
 */
import type { CST } from "yaml";
import type { JsonValue } from "./types";

/** Far deeper than any Kubernetes object: the release's deepest value is nine levels down. */
export const MAX_MANIFEST_DEPTH = 64;

/** The offset of the first collection nested deeper than `max`, or undefined. */
export function firstTooDeepCollection(tokens: readonly CST.Token[], max: number = MAX_MANIFEST_DEPTH): number | undefined {
  const pending: [CST.Token, number][] = tokens.map((token) => [token, 0]);
  while (pending.length > 0) {
    const [token, depth] = pending.pop()!;
    if (token.type === "document") {
      if (token.value) pending.push([token.value, depth]);
    } else if (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") {
      if (depth + 1 > max) return token.offset;
      for (const item of token.items) {
        if ("key" in item && item.key) pending.push([item.key, depth + 1]);
        if (item.value) pending.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

/** True when the value holds mappings or lists nested deeper than `max`. */
export function nestsDeeperThan(value: JsonValue, max: number = MAX_MANIFEST_DEPTH): boolean {
  const pending: [JsonValue, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}
