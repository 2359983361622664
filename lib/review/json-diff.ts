/**
 * A deep comparison of two JSON values, as the paths where they differ: what a reviewer reads
 * instead of two pages of Terraform JSON.
 */
import { isJsonObject, type JsonValue, type PathSegment } from "../manifest/types";

/** One difference. `before` is absent for an addition, `after` for a removal. */
export interface JsonChange {
  readonly path: readonly PathSegment[];
  readonly before?: JsonValue;
  readonly after?: JsonValue;
}

/**
 * Every path where `after` differs from `before`, depth first, keys in `before`'s order then the
 * new ones. Objects are compared key by key and arrays index by index, so a changed element
 * shows where it sits; a value of another kind (object for a string, say) is one change.
 */
export function diffJson(before: JsonValue | undefined, after: JsonValue | undefined, path: readonly PathSegment[] = []): JsonChange[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ path, after }];
  if (after === undefined) return [{ path, before }];
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((key) => !(key in before))];
    return keys.flatMap((key) => diffJson(before[key], after[key], [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffJson(before[i], after[i], [...path, i])).flat();
  }
  // Primitives, or values of different kinds (which always differ).
  return before === after ? [] : [{ path, before, after }];
}

/** The value at a path, or undefined where the path leads nowhere. */
export function valueAt(value: JsonValue | undefined, path: readonly PathSegment[]): JsonValue | undefined {
  let current = value;
  for (const segment of path) {
    if (typeof segment === "number") current = Array.isArray(current) ? current[segment] : undefined;
    else current = isJsonObject(current) ? current[segment] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}
