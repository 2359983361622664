/**
 * A stack's Terraform JSON, as cdktf 0.21's `TerraformStack.toTerraform()` assembles it, with each
 * value resolved once, through `resolveTokens`, instead of twice through cdktf's general resolver
 * (once per element, then the whole stack again).
 *
 * The assembly follows cdktf 0.21.0 (the version `usesOwnSynthesis` checks for): a `//` block
 * with the stack's metadata and its outputs by construct path, then every element's fragment
 * merged in construct order with cdktf's own deepMerge, then the stack's overrides.
 */
import { TerraformOutput, type TerraformStack } from "cdktf";
import { deepMerge } from "cdktf/lib/util";
import { resolveTokens } from "./resolve-tokens";
import { elementsOf } from "./stack-elements";

export function stackJson(stack: TerraformStack): Record<string, unknown> {
  const overrides = stackOverridesOf(stack);
  const elements = elementsOf(stack);

  const metadata: Record<string, unknown> = {
    version: stack.node.tryGetContext("cdktfVersion"),
    stackName: stack.node.id,
    // The backend's own metadata replaces these two.
    backend: "local",
    cloud: undefined,
    ...(Object.keys(overrides).length > 0 ? { overrides: { stack: Object.keys(overrides) } } : {}),
  };
  for (const element of elements) deepMerge(metadata, resolveTokens(stack, element.toMetadata()));

  const outputs: Record<string, unknown> = {};
  for (const element of elements) {
    if (TerraformOutput.isTerraformOutput(element)) deepMerge(outputs, nestedByPath(element.node.path, element.friendlyUniqueId));
  }

  const json: Record<string, unknown> = { "//": { metadata, outputs } };
  for (const element of elements) deepMerge(json, resolveTokens(stack, element.toTerraform()));
  deepMerge(json, overrides);
  // The metadata's unset `cloud`, and any token an override holds.
  return resolveTokens(stack, json) as Record<string, unknown>;
}

/** `a/b/c` and `id` as `{ a: { b: { c: "id" } } }`. */
function nestedByPath(constructPath: string, id: string): Record<string, unknown> {
  return constructPath
    .split("/")
    .reduceRight<Record<string, unknown> | string>((inner, part) => ({ [part]: inner }), id) as Record<string, unknown>;
}

/**
 * What `stack.addOverride` collected. cdktf keeps it in a private field; `usesOwnSynthesis` only
 * lets this run on the cdktf version known to keep it there, and this refuses anything else.
 */
function stackOverridesOf(stack: TerraformStack): Record<string, unknown> {
  const overrides: unknown = (stack as unknown as { rawOverrides?: unknown }).rawOverrides;
  if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
    throw new Error(`${stack.node.id}: cdktf's TerraformStack holds no rawOverrides object; set UID2_STOCK_SYNTHESIS=1 to synthesize with cdktf's own steps`);
  }
  return overrides as Record<string, unknown>;
}
