/** Longer values are cut: a reviewer needs where they differ, not all of them. */
export const MAX_VALUE_LENGTH = 100;

/** The text, cut in the middle when longer than `max`. */
export function shorten(text: string, max = MAX_VALUE_LENGTH): string {
  if (text.length <= max) return text;
  const head = Math.ceil(max * 0.6);
  const tail = max - head - 1;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)} (${text.length} characters)`;
}

/**
 * Two versions of a long text, each cut to the window where they start to differ, so that the
 * shortened forms still show the difference.
 */
export function shortenPair(before: string, after: string, max = MAX_VALUE_LENGTH): [string, string] {
  if (before.length <= max && after.length <= max) return [before, after];
  let first = 0;
  while (first < before.length && first < after.length && before[first] === after[first]) first++;
  const start = Math.max(0, first - Math.floor(max / 3));
  const window = (text: string): string => {
    if (text.length <= max) return text;
    const cut = text.slice(start, start + max);
    return `${start > 0 ? "…" : ""}${cut}${start + max < text.length ? "…" : ""} (${text.length} characters)`;
  };
  return [window(before), window(after)];
}
