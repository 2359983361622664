/**
 * One item (resource or data source) of one stack, compared across the two syntheses: what its
 * own JSON changes, and which of those changes replace it.
 */
import type { PathSegment } from "../manifest/types";
import { diffJson, type JsonChange } from "./json-diff";
import type { IndirectChange } from "./findings";
import { forcingArguments, REPLACEMENT_RULES } from "./replacement-rules";
import type { Item } from "./terraform-items";

/** Meta-arguments: they steer Terraform, they are not the provider's arguments. */
export const META_ARGUMENTS = new Set(["depends_on", "lifecycle", "provisioner", "connection", "timeouts", "count", "for_each", "provider"]);

export interface ItemComparison {
  readonly stack: string;
  readonly address: string;
  readonly base?: Item;
  readonly head?: Item;
  /** Differences of its own JSON. */
  readonly changes: readonly JsonChange[];
  /** Forcing arguments its own changes hit. */
  readonly forcedBy: readonly string[];
  /** Values that change because what they read changes (impact.ts fills these in). */
  readonly indirect: IndirectChange[];
  /** Why it is replaced although its forcing arguments read the same (impact.ts). */
  readonly replacedBecause: string[];
}

/** The argument path of a change, as the replacement rules spell it: `network_profile.service_cidr`. */
export function argumentPath(path: readonly PathSegment[]): string {
  return path.filter((segment): segment is string => typeof segment === "string").join(".");
}

/** The rule's arguments hit by a change at `path` of an item of `type`; none for meta-arguments or unknown types. */
export function forcingArgumentsAt(type: string, path: readonly PathSegment[]): string[] {
  const rule = REPLACEMENT_RULES[type];
  if (rule === undefined || META_ARGUMENTS.has(String(path[0]))) return [];
  return forcingArguments(rule, argumentPath(path));
}

export function compareItem(stack: string, address: string, base: Item | undefined, head: Item | undefined): ItemComparison {
  const changes = base && head ? diffJson(base.body, head.body) : [];
  const forcedBy = head?.kind === "resource" ? [...new Set(changes.flatMap((change) => forcingArgumentsAt(head.type, change.path)))] : [];
  return { stack, address, base, head, changes, forcedBy, indirect: [], replacedBecause: [] };
}

export function isReplaced(item: ItemComparison): boolean {
  return item.base !== undefined && item.head !== undefined && (item.forcedBy.length > 0 || item.replacedBecause.length > 0);
}

export function isChanged(item: ItemComparison): boolean {
  return item.base !== undefined && item.head !== undefined && (item.changes.length > 0 || item.indirect.length > 0);
}
