/**
 * Changes that the JSON text does not show. A resource whose arguments read the same can still
 * change or be replaced: `key_vault_id = "${azurerm_key_vault.key-vault.id}"` names a new vault
 * once the vault is replaced, and a stack that reads another stack's output gets a new value when
 * that output changes. Starting from the direct changes, this follows references (within a
 * stack, and across stacks through cdktf's cross-stack outputs) until nothing more changes.
 */
import { isJsonObject, type JsonObject } from "../manifest/types";
import { formatPath } from "../manifest/walk";
import { forcingArgumentsAt, isReplaced, META_ARGUMENTS, type ItemComparison } from "./item-changes";
import type { JsonChange } from "./json-diff";
import { referencesIn, type Reference } from "./references";

/** One stack's items and other blocks, as compared. */
export interface StackComparison {
  readonly name: string;
  readonly items: readonly ItemComparison[];
  /** The head side's blocks other than resources and data (outputs, locals). */
  readonly headSettings?: JsonObject;
  /** Differences in those blocks, paths from the stack's root (`output.x.value`). */
  readonly settingChanges: readonly JsonChange[];
}

/** What changes, by `<stack>|<key>`, with the words that say why. */
type Affected = Map<string, string>;

/** Each item's arguments on the head side, by `<stack>|<address>`. */
type HeadBodies = ReadonlyMap<string, JsonObject>;

const itemKey = (stack: string, address: string): string => `${stack}|item:${address}`;
const attributeKey = (stack: string, address: string, attribute: string): string => `${stack}|attr:${address}.${attribute}`;
const blockKey = (stack: string, block: "output" | "locals" | "variable", name: string): string => `${stack}|${block}:${name}`;

/** Fills in each item's indirect changes and replacements. */
export function propagateImpact(stacks: readonly StackComparison[]): void {
  const affected: Affected = new Map();
  const bodies: HeadBodies = new Map(stacks.flatMap((stack) => stack.items.flatMap((item) => (item.head ? [[`${stack.name}|${item.address}`, item.head.body] as const] : []))));
  for (const stack of stacks) seedDirectChanges(stack, affected);
  for (let grew = true; grew; ) {
    grew = false;
    for (const stack of stacks) {
      for (const item of stack.items) grew = followItem(item, affected, bodies) || grew;
      grew = followBlocks(stack, affected, bodies) || grew;
    }
  }
}

/**
 * True when the attribute is an argument written as a plain value: Terraform knows it at plan
 * time, so it reads as the new text says even when its resource is replaced (a replaced resource
 * group's `location`), unlike computed attributes such as `id`.
 */
function isLiteralArgument(bodies: HeadBodies, stack: string, address: string, attribute: string): boolean {
  const value = bodies.get(`${stack}|${address}`)?.[attribute];
  return value !== undefined && !JSON.stringify(value).includes("${");
}

function seedDirectChanges(stack: StackComparison, affected: Affected): void {
  for (const item of stack.items) {
    if (item.base === undefined || item.head === undefined || item.changes.length === 0) continue;
    if (item.head.kind === "data") {
      affected.set(itemKey(stack.name, item.address), `\`${item.address}\` is read with new arguments`);
      continue;
    }
    if (isReplaced(item)) affected.set(itemKey(stack.name, item.address), `\`${item.address}\` is replaced`);
    for (const change of item.changes) {
      const attribute = String(change.path[0]);
      affected.set(attributeKey(stack.name, item.address, attribute), `\`${item.address}.${attribute}\` changes`);
    }
  }
  for (const change of stack.settingChanges) {
    const [block, name] = change.path;
    if (block === "output" || block === "locals" || block === "variable") {
      affected.set(blockKey(stack.name, block, String(name)), `${block === "locals" ? "local" : block} \`${String(name)}\` of \`${stack.name}\` changes`);
    }
  }
}

/** Why a reference from `stack` reads a changing value, or undefined if it does not. */
function changeRead(stack: string, reference: Reference, affected: Affected, bodies: HeadBodies): string | undefined {
  switch (reference.kind) {
    case "item": {
      const whole = affected.get(itemKey(stack, reference.address));
      const attribute = reference.attribute;
      if (whole !== undefined && (attribute === undefined || !isLiteralArgument(bodies, stack, reference.address, attribute))) return whole;
      if (attribute !== undefined) return affected.get(attributeKey(stack, reference.address, attribute));
      const prefix = `${stack}|attr:${reference.address}.`;
      return [...affected].find(([key]) => key.startsWith(prefix))?.[1];
    }
    case "variable":
      return affected.get(blockKey(stack, "variable", reference.name));
    case "local":
      return affected.get(blockKey(stack, "locals", reference.name));
    case "stack-output":
      return affected.get(blockKey(reference.stack, "output", reference.output));
  }
}

function add(affected: Affected, key: string, because: string): boolean {
  if (affected.has(key)) return false;
  affected.set(key, because);
  return true;
}

function followItem(item: ItemComparison, affected: Affected, bodies: HeadBodies): boolean {
  if (item.base === undefined || item.head === undefined) return false;
  let grew = false;
  for (const { path, reference } of referencesIn(item.head.body)) {
    if (META_ARGUMENTS.has(String(path[0]))) continue;
    const because = changeRead(item.stack, reference, affected, bodies);
    if (because === undefined) continue;
    const where = formatPath(path);
    if (item.indirect.some((entry) => entry.path === where && entry.because === because)) continue;
    item.indirect.push({ path: where, because });
    if (item.head.kind === "data") {
      grew = add(affected, itemKey(item.stack, item.address), `\`${item.address}\` reads new values`) || grew;
    } else if (forcingArgumentsAt(item.head.type, path).length > 0) {
      if (!item.replacedBecause.includes(because)) item.replacedBecause.push(because);
      grew = add(affected, itemKey(item.stack, item.address), `\`${item.address}\` is replaced`) || grew;
    } else {
      const attribute = String(path[0]);
      grew = add(affected, attributeKey(item.stack, item.address, attribute), `\`${item.address}.${attribute}\` changes`) || grew;
    }
  }
  return grew;
}

/** Outputs and locals whose expressions read something that changes. */
function followBlocks(stack: StackComparison, affected: Affected, bodies: HeadBodies): boolean {
  let grew = false;
  for (const block of ["output", "locals"] as const) {
    const entries = stack.headSettings?.[block];
    if (!isJsonObject(entries)) continue;
    for (const [name, body] of Object.entries(entries)) {
      const key = blockKey(stack.name, block, name);
      if (affected.has(key)) continue;
      const value = block === "output" && isJsonObject(body) ? body.value : body;
      if (value === undefined) continue;
      const because = referencesIn(value).map(({ reference }) => changeRead(stack.name, reference, affected, bodies)).find((b) => b !== undefined);
      if (because !== undefined) grew = add(affected, key, `${block === "locals" ? "local" : "output"} \`${name}\` of \`${stack.name}\` changes`) || grew;
    }
  }
  return grew;
}
