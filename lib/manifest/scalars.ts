/**
 * How an unquoted YAML scalar becomes a JSON value, the way `kubectl apply -f` decides it.
 *
 * kubectl turns YAML into JSON with sigs.k8s.io/yaml, which decodes with go-yaml v2: YAML 1.1
 * rules, not YAML 1.2. So `yes`, `on`, `y` are `true`; `no`, `off`, `n` are `false`; `0755` is
 * octal (493); `0x1F`, `0o17`, `0b101` and `1_000` are integers. Timestamps and sexagesimal
 * numbers (`1:20`) stay strings, because go-yaml v2 hands timestamps to an untyped target as
 * their text and has no sexagesimal rule. We follow go-yaml v2 deliberately: the JSON Terraform
 * sends must be the JSON kubectl would have sent for the same file, or the pods no longer match
 * the release (and its confidential-computing policy). Quoted and block scalars are strings.
 */
import type { JsonPrimitive } from "./types";

export type ResolvedScalar = { readonly value: JsonPrimitive } | { readonly problem: string };

const TRUE_WORDS = new Set(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const FALSE_WORDS = new Set(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);
const NULL_WORDS = new Set(["", "~", "null", "Null", "NULL"]);
const NOT_FINITE = new Set([".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"]);

/** Go's `strconv.ParseInt(s, 0, 64)` syntax: sign, then hex, octal (`0o` or a leading 0), binary or decimal. */
const GO_INTEGER = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
/** go-yaml v2's `yamlStyleFloat`. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What Go's `ParseFloat` accepts of a scalar that starts with a dot. */
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Resolves the text of an unquoted, untagged scalar. */
export function resolvePlainScalar(source: string): ResolvedScalar {
  if (TRUE_WORDS.has(source)) return { value: true };
  if (FALSE_WORDS.has(source)) return { value: false };
  if (NULL_WORDS.has(source)) return { value: null };
  if (NOT_FINITE.has(source)) return { problem: `${source} is not a finite number; JSON cannot carry it` };
  const first = source[0];
  if (first === ".") return DOT_FLOAT.test(source) ? { value: Number(source) } : { value: source };
  if (first === "+" || first === "-" || (first >= "0" && first <= "9")) return resolveNumeric(source);
  return { value: source };
}

/** go-yaml v2 removes every underscore, then tries an integer, then a float, else keeps the text. */
function resolveNumeric(source: string): ResolvedScalar {
  const plain = source.replace(/_/g, "");
  const integer = goInteger(plain);
  if (integer !== undefined) {
    if (integer < BigInt(Number.MIN_SAFE_INTEGER) || integer > BigInt(Number.MAX_SAFE_INTEGER)) {
      return { problem: `${source} is an integer too large to carry exactly; quote it if it is text` };
    }
    return { value: Number(integer) };
  }
  if (YAML_STYLE_FLOAT.test(plain)) return { value: Number(plain) };
  return { value: source };
}

/** The integer Go would parse (int64, or uint64 when unsigned), or undefined. */
function goInteger(plain: string): bigint | undefined {
  const match = GO_INTEGER.exec(plain);
  if (!match) return undefined;
  const [, sign, digits] = match;
  const magnitude = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits.toLowerCase());
  const value = sign === "-" ? -magnitude : magnitude;
  const fits = value >= INT64_MIN && (sign === "" ? value <= UINT64_MAX : value <= UINT64_MAX >> 1n);
  return fits ? value : undefined;
}
