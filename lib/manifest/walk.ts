/** Walking the strings of a document, and naming where they are. */
import type { JsonValue, PathSegment } from "./types";

export interface StringAt {
  readonly path: readonly PathSegment[];
  readonly text: string;
  /** True when the string is a mapping key (its path then ends at that key's value). */
  readonly isKey: boolean;
}

/** Every string of a value, keys included, depth first in document order. */
export function* stringsOf(value: JsonValue, path: readonly PathSegment[] = []): Generator<StringAt> {
  if (typeof value === "string") {
    yield { path, text: value, isKey: false };
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* stringsOf(value[i], [...path, i]);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      yield { path: [...path, key], text: key, isKey: true };
      yield* stringsOf(child, [...path, key]);
    }
  }
}

/** The value at a path of mapping keys (indexes are not followed), or undefined. */
export function valueAt(value: JsonValue, path: readonly PathSegment[]): JsonValue | undefined {
  let node: JsonValue | undefined = value;
  for (const segment of path) {
    if (typeof node !== "object" || node === null || Array.isArray(node) || typeof segment !== "string") return undefined;
    node = (node as { readonly [key: string]: JsonValue })[segment];
  }
  return node;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * A path as people read it: `spec.template.spec.containers[1].image`; keys that are not plain
 * words are quoted, so `metadata.annotations["example.com/x"]` stays unambiguous.
 */
export function formatPath(path: readonly PathSegment[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text === "" ? "(document root)" : text;
}
