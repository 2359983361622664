/** Deep merge for configuration layers: objects merge key by key, arrays and scalars replace. */

export type Layer = Record<string, unknown> | undefined;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Merges `layers` left to right; later layers win. Inputs are never mutated. */
export function deepMerge(...layers: Layer[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      const current = result[key];
      result[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
    }
  }
  return result;
}
