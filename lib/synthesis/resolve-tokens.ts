/**
 * cdktf 0.21 resolves every value of a stack three times per synthesis (once to find the
 * references between stacks, twice to write the stack), visiting each key and string through
 * its general resolver. Most of a stack is plain data (names, flags, the release manifest) that
 * resolves to itself; that walking was over half of the synthesis of many deployments.
 *
 * `resolveTokens` gives the same result for less: it walks plain objects and arrays itself,
 * drops `undefined` as cdktf does (the prebuilt provider classes hand over every argument their
 * schema knows, set or not: a third of all values), and hands cdktf's resolver, in the same
 * scope and mode, only the values that hold a token. Anything it cannot tell for sure is plain
 * is handed over whole.
 */
import type { IConstruct } from "constructs";
import { DefaultTokenResolver, StringConcat, Tokenization } from "cdktf";

/** The resolver cdktf's own stack synthesis uses. */
const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * `json` as cdktf's `Tokenization.resolve` returns it for `scope`: equal, with tokens resolved and
 * `undefined` object values and array items left out. `preparing` is cdktf's first pass, in which
 * references to other stacks register themselves.
 */
export function resolveTokens(scope: IConstruct, json: unknown, preparing = false): unknown {
  if (Array.isArray(json)) {
    // A list token stands among plain items only as an error cdktf reports; it resolves lists whole.
    if (json.some(mayBeToken)) return resolveWithCdktf(scope, json, preparing);
    const result: unknown[] = [];
    for (const item of json) {
      const resolved = resolveTokens(scope, item, preparing);
      if (resolved !== undefined) result.push(resolved);
    }
    return result;
  }
  if (isPlainObject(json)) {
    const keys = Object.keys(json);
    // A token among the keys is a map token, which cdktf resolves with its object.
    if (keys.some(mayBeToken)) return resolveWithCdktf(scope, json, preparing);
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      const resolved = resolveTokens(scope, json[key], preparing);
      // Assigned as cdktf assigns, so that a `__proto__` key fares as it does there.
      if (resolved !== undefined) result[key] = resolved;
    }
    return result;
  }
  if (json === undefined || json === null || typeof json === "boolean" || !mayBeToken(json)) return json;
  return resolveWithCdktf(scope, json, preparing);
}

function resolveWithCdktf(scope: IConstruct, value: unknown, preparing: boolean): unknown {
  return Tokenization.resolve(value, { scope, preparing, resolver: RESOLVER });
}

/** Every token encoding cdktf puts in a string (`${TfToken[`, list `#{`, map `&{`) names TfToken. */
const ENCODED_TOKEN = "TfToken[";
/**
 * A token that stands for a number (or a list of numbers) is a double near -1.9e+289; written
 * into a string it shows an exponent.
 */
const NUMBER_IN_EXPONENT_FORM = /\d[eE][-+]?\d/;
const LARGEST_PLAIN_NUMBER = 1e100;

/**
 * False only for a string or number that is certainly plain. Objects other than plain ones
 * (tokens, dynamic blocks, dates) answer true, so that cdktf decides what they are.
 */
function mayBeToken(value: unknown): boolean {
  if (typeof value === "string") return value.includes(ENCODED_TOKEN) || NUMBER_IN_EXPONENT_FORM.test(value);
  if (typeof value === "number") return !(Math.abs(value) <= LARGEST_PLAIN_NUMBER);
  if (typeof value === "object" && value !== null) return !Array.isArray(value) && !isPlainObject(value);
  return typeof value === "function" || typeof value === "symbol" || typeof value === "bigint";
}

/** An object literal's kind of object (or one without a prototype): no token, block or class instance. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
