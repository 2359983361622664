/**
 * Values that cdktf would read as one of its tokens (facts.md, "cdktf token encodings"): a string
 * holding `${TfToken[TOKEN.n]}`, a one-item list `["#{TfToken[TOKEN.n]}"]`, a map key
 * `&{TfToken[TOKEN.n]}`, or a number in its token range, also written inside a string. Synthesis
 * would replace such a value with whatever token n stands for, a live Terraform expression (the
 * cluster's admin key, the operator key variable) or a crash. Data read from a file must never
 * look like one, so every string, key and number the app reads is tested here, with cdktf's own
 * test (`Token.isUnresolved`), before anything is built.
 */
import { Token } from "cdktf/lib/tokens/token";

/** A value of a parsed file, with the path of keys and indexes that leads to it. */
export interface TokenShapedValue {
  readonly path: readonly (string | number)[];
  /** The string, key or number that cdktf would decode. */
  readonly value: string | number;
  /** True when the value is a mapping key (its path then ends at that key). */
  readonly isKey: boolean;
}

/**
 * Runs of the characters cdktf scans for numbers written inside a string (digits, signs, dots,
 * bars and exponents). cdktf reads a run from its start; every start within a run is tried here,
 * so that whatever cdktf's scan reads, this reads too.
 */
const NUMBER_RUN = /[-|\d.+eE]*[eE][-|\d.+eE]*/g;

/** Whether any number written in the text, read from any position, is in cdktf's token range. */
function holdsTokenNumber(text: string): boolean {
  for (const [run] of text.matchAll(NUMBER_RUN)) {
    for (let start = 0; start < run.length; start++) {
      const value = parseFloat(run.slice(start));
      if (!Number.isNaN(value) && isTokenNumber(value)) return true;
    }
  }
  return false;
}

/** Whether cdktf would decode the number, alone or as a list's only element. */
function isTokenNumber(value: number): boolean {
  return Token.isUnresolved(value) || Token.isUnresolved([value]);
}

/** Whether cdktf would decode something in the string, as a value, a list's only element or a key. */
export function isTokenShapedString(text: string): boolean {
  if (Token.isUnresolved(text) || Token.isUnresolved([text]) || Token.isUnresolved({ [text]: true })) return true;
  return holdsTokenNumber(text);
}

/** Whether cdktf would decode the string or number. */
export function isTokenShaped(value: string | number): boolean {
  return typeof value === "number" ? isTokenNumber(value) : isTokenShapedString(value);
}

/** Every string, key and number of a parsed value that cdktf would decode, depth first. */
export function* tokenShapedValues(value: unknown, path: readonly (string | number)[] = []): Generator<TokenShapedValue> {
  if (typeof value === "string" || typeof value === "number") {
    if (isTokenShaped(value)) yield { path, value, isKey: false };
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* tokenShapedValues(value[i], [...path, i]);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (isTokenShapedString(key)) yield { path: [...path, key], value: key, isKey: true };
      yield* tokenShapedValues(child, [...path, key]);
    }
  }
}
