/**
 * The references inside a stack's values: `${azurerm_key_vault.key-vault.id}`,
 * `${var.operator_key}`, and cdktf's cross-stack reads
 * `${data.terraform_remote_state.cross-stack-reference-input-<stack>.outputs.<output>}` (or
 * `tfe_outputs`' `.values.`). They tell the review which unchanged values change anyway, because
 * what they point at is replaced or changes.
 */
import type { JsonValue, PathSegment } from "../manifest/types";
import { stringsOf } from "../manifest/walk";

export type Reference =
  /** A resource (`type.name`) or data source (`data.type.name`), and the attribute read. */
  | { readonly kind: "item"; readonly address: string; readonly attribute?: string }
  | { readonly kind: "variable"; readonly name: string }
  | { readonly kind: "local"; readonly name: string }
  /** An output of another stack, read through cdktf's cross-stack data source. */
  | { readonly kind: "stack-output"; readonly stack: string; readonly output: string };

export interface ReferenceAt {
  /** Where the referring string sits in the value. */
  readonly path: readonly PathSegment[];
  readonly reference: Reference;
}

/** cdktf names the data source that reads another stack's outputs `cross-stack-reference-input-<stack>`. */
const CROSS_STACK = /data\.[A-Za-z0-9_]+\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.(?:outputs|values)\.([A-Za-z0-9_-]+)/g;
const TRAVERSAL = /(?<![\w.\-"'])(data\.)?([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?/g;
/** Roots that name no resource. */
const NOT_RESOURCES = new Set(["module", "path", "terraform", "count", "each", "self"]);

/** Every reference in the strings of a value (not in its keys). */
export function referencesIn(value: JsonValue, path: readonly PathSegment[] = []): ReferenceAt[] {
  const found: ReferenceAt[] = [];
  for (const at of stringsOf(value, path)) {
    if (at.isKey) continue;
    for (const expression of expressionsIn(at.text)) {
      for (const reference of referencesInExpression(expression)) found.push({ path: at.path, reference });
    }
  }
  return found;
}

/** The `${...}` interpolations of a template string, nested braces included. */
export function expressionsIn(text: string): string[] {
  const expressions: string[] = [];
  let start = text.indexOf("${");
  while (start !== -1) {
    let depth = 0;
    let end = start + 1;
    for (; end < text.length; end++) {
      if (text[end] === "{") depth++;
      else if (text[end] === "}" && --depth === 0) break;
    }
    expressions.push(text.slice(start + 2, end));
    start = text.indexOf("${", end);
  }
  return expressions;
}

function referencesInExpression(expression: string): Reference[] {
  const references: Reference[] = [];
  const rest = expression.replace(CROSS_STACK, (_match, stack: string, output: string) => {
    references.push({ kind: "stack-output", stack, output });
    return " ";
  });
  for (const match of rest.matchAll(TRAVERSAL)) {
    const [, data, root, second, third] = match;
    if (data !== undefined) references.push({ kind: "item", address: `data.${root}.${second}`, ...(third ? { attribute: third } : {}) });
    else if (root === "var") references.push({ kind: "variable", name: second });
    else if (root === "local") references.push({ kind: "local", name: second });
    else if (!NOT_RESOURCES.has(root)) references.push({ kind: "item", address: `${root}.${second}`, ...(third ? { attribute: third } : {}) });
  }
  return references;
}
