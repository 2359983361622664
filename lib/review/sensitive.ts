/**
 * What the review never shows: the value of a sensitive variable or output, anything that reads
 * a sensitive variable, and write-only arguments (`value_wo`). The operator key itself never
 * reaches the synthesized JSON; this keeps any other secret a stack may take out of the report.
 */
import { isJsonObject, type JsonObject, type JsonValue, type PathSegment } from "../manifest/types";
import { HIDDEN } from "./findings";
import { referencesIn } from "./references";

/** The stack's sensitive variables and outputs, on either side of the comparison. */
export interface SensitiveNames {
  readonly variables: ReadonlySet<string>;
  readonly outputs: ReadonlySet<string>;
}

export function sensitiveNames(...stacks: (JsonObject | undefined)[]): SensitiveNames {
  const flagged = (block: JsonValue | undefined): string[] =>
    isJsonObject(block) ? Object.entries(block).filter(([, body]) => isJsonObject(body) && body.sensitive === true).map(([name]) => name) : [];
  return {
    variables: new Set(stacks.flatMap((stack) => flagged(stack?.variable))),
    outputs: new Set(stacks.flatMap((stack) => flagged(stack?.output))),
  };
}

/** Terraform's suffix for write-only arguments, which it never stores. */
const WRITE_ONLY_SUFFIX = "_wo";

/**
 * The value with every sensitive part replaced by HIDDEN. `path` is where the value sits in the
 * stack's JSON (`["output", "x", "value"]`) or in an item's body (`["value_wo"]`).
 */
export function redact(value: JsonValue, path: readonly PathSegment[], names: SensitiveNames): JsonValue {
  if (isSensitiveAt(path, value, names)) return HIDDEN;
  if (Array.isArray(value)) return value.map((element, i) => redact(element, [...path, i], names));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, redact(child, [...path, key], names)]));
  return value;
}

function isSensitiveAt(path: readonly PathSegment[], value: JsonValue, names: SensitiveNames): boolean {
  const last = path[path.length - 1];
  if (typeof last === "string" && last.endsWith(WRITE_ONLY_SUFFIX)) return true;
  const [block, name, field] = path;
  if (block === "variable" && field === "default" && names.variables.has(String(name))) return true;
  if (block === "output" && field === "value" && names.outputs.has(String(name))) return true;
  if (typeof value !== "string") return false;
  return referencesIn(value).some(({ reference }) => reference.kind === "variable" && names.variables.has(reference.name));
}
