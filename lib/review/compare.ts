/**
 * The comparison of two syntheses, stack by stack and item by item: the findings that the
 * report renders. Works on the Terraform JSON alone, whatever resources the stacks hold.
 */
import type { JsonObject, JsonValue, PathSegment } from "../manifest/types";
import { formatPath } from "../manifest/walk";
import { destructionWarning, displayName, kubernetesUpgradeWarning, planOnlyNote, preventsDestroy, replacementWarning, stateLocationWarning, teardownReason, writeOnlyVersionNote } from "./consequences";
import { deployPlan, destroyPlan } from "./deploy-plan";
import { dependencyGraph, groupDeployments } from "./deployments";
import type { AttributeChange, Comparison, Counts, DeploymentReview, ItemReview, ItemStatus, ReleaseReview, StackReview, Warning } from "./findings";
import { propagateImpact, type StackComparison } from "./impact";
import { compareItem, isChanged, isReplaced, type ItemComparison } from "./item-changes";
import { diffJson, type JsonChange } from "./json-diff";
import { reviewRelease } from "./release";
import { REPLACEMENT_RULES } from "./replacement-rules";
import { redact, sensitiveNames, type SensitiveNames } from "./sensitive";
import type { Synthesis } from "./synthesis";
import { itemsOf, settingsOf, type Item } from "./terraform-items";

export interface CompareOptions {
  /** How the report names the base revision, e.g. `main (1a2b3c4)`. */
  readonly baseLabel: string;
}

export function compareSyntheses(base: Synthesis, head: Synthesis, options: CompareOptions): Comparison {
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  const stacks = names.map((name) => compareStack(name, base.get(name)?.json, head.get(name)?.json));
  propagateImpact(stacks);
  const byName = new Map(stacks.map((stack) => [stack.name, stack]));
  const graph = dependencyGraph(base, head);

  const warnings: Warning[] = [];
  const deployments: DeploymentReview[] = groupDeployments(graph).map((group) => {
    const reviews = group.stacks.map((name) => {
      const stack = byName.get(name)!;
      const review = stackReview(stack, base.get(name)?.json, head.get(name)?.json, [...(graph.get(name) ?? [])].sort());
      for (const message of review.warnings) warnings.push({ stack: name, address: "terraform", message });
      for (const item of review.items) for (const message of item.warnings) warnings.push({ stack: name, address: item.address, message });
      return review;
    });
    const teardown = teardownReason(reviews);
    const reasons = new Map(group.stacks.map((name) => [name, teardown ? "deployed anew" : runReason(byName.get(name)!)]));
    const deploy = deployPlan(teardown ? reviews.filter((r) => r.status !== "removed").map((r) => ({ ...r, status: "added" as const })) : reviews, head, reasons);
    const destroy = teardown
      ? destroyPlan(reviews.filter((r) => r.status !== "added").map((r) => ({ ...r, status: "removed" as const })), base, options.baseLabel, "its synthesis describes the deployment as it is deployed; then deploy this revision's stacks")
      : destroyPlan(reviews, base, options.baseLabel);
    return {
      name: group.name,
      status: overallStatus(reviews.map((review) => review.status)),
      stacks: reviews,
      releases: group.stacks.flatMap((name) => releasesOf(byName.get(name)!, sensitiveNames(base.get(name)?.json, head.get(name)?.json))),
      ...(deploy ? { deploy } : {}),
      ...(destroy ? { destroy } : {}),
      ...(teardown ? { teardown } : {}),
    };
  });

  const types = [...new Set(stacks.flatMap((stack) => stack.items.flatMap((item) => [item.base, item.head]).filter((item): item is Item => item?.kind === "resource").map((item) => item.type)))].sort();
  return {
    deployments,
    warnings,
    replacementRules: types.filter((type) => REPLACEMENT_RULES[type]).map((type) => ({ type, ...REPLACEMENT_RULES[type] })),
    typesWithoutRules: types.filter((type) => !REPLACEMENT_RULES[type]),
  };
}

function compareStack(name: string, base: JsonObject | undefined, head: JsonObject | undefined): StackComparison {
  const baseItems = base ? itemsOf(base) : new Map<string, Item>();
  const headItems = head ? itemsOf(head) : new Map<string, Item>();
  const addresses = [...new Set([...baseItems.keys(), ...headItems.keys()])];
  return {
    name,
    items: addresses.map((address) => compareItem(name, address, baseItems.get(address), headItems.get(address))),
    ...(head ? { headSettings: settingsOf(head) } : {}),
    settingChanges: base && head ? diffJson(settingsOf(base), settingsOf(head)) : [],
  };
}

function statusOf(item: ItemComparison): ItemStatus {
  if (item.base === undefined) return "added";
  if (item.head === undefined) return "removed";
  if (isReplaced(item)) return "replaced";
  return isChanged(item) ? "changed" : "unchanged";
}

function overallStatus(statuses: readonly string[]): StackReview["status"] {
  if (statuses.every((status) => status === "unchanged")) return "unchanged";
  if (statuses.every((status) => status === "added")) return "added";
  if (statuses.every((status) => status === "removed")) return "removed";
  return "changed";
}

function stackReview(stack: StackComparison, base: JsonObject | undefined, head: JsonObject | undefined, dependencies: string[]): StackReview {
  const names = sensitiveNames(base, head);
  const items = stack.items.map((item) => ({ item, status: statusOf(item) }));
  const counts = (kind: Item["kind"]): Counts => {
    const of = items.filter(({ item }) => (item.head ?? item.base)!.kind === kind).map(({ status }) => status);
    const count = (...wanted: ItemStatus[]): number => of.filter((status) => wanted.includes(status)).length;
    return { added: count("added"), removed: count("removed"), changed: count("changed", "replaced"), replaced: count("replaced"), unchanged: count("unchanged") };
  };
  const settings = stack.settingChanges.map((change) => attributeChange(change, [], names));
  const status = base === undefined ? "added" : head === undefined ? "removed" : items.some(({ status }) => status !== "unchanged") || settings.length > 0 ? "changed" : "unchanged";
  const moved = movedItems(stack.items);
  return {
    name: stack.name,
    status,
    dependencies,
    resources: counts("resource"),
    dataSources: counts("data"),
    items: items.filter(({ status }) => status !== "unchanged").map(({ item, status }) => itemReview(item, status, names, moved.get(item.address))),
    settings,
    warnings: [stateLocationWarning(stack.name, stack.settingChanges.map((change) => change.path))].filter((w): w is string => w !== undefined),
  };
}

function attributeChange(change: JsonChange, prefix: readonly PathSegment[], names: SensitiveNames): AttributeChange {
  const show = (value: JsonValue | undefined) => (value === undefined ? undefined : redact(value, [...prefix, ...change.path], names));
  const before = show(change.before);
  const after = show(change.after);
  return { path: formatPath(change.path), ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
}

function itemReview(item: ItemComparison, status: ItemStatus, names: SensitiveNames, movedFrom: string | undefined): ItemReview {
  const some = (item.head ?? item.base)!;
  const warnings: string[] = [];
  const notes: string[] = [];
  if (status === "replaced") {
    const because = item.forcedBy.length > 0 ? `${item.forcedBy.map((arg) => `\`${arg}\``).join(", ")} ${item.forcedBy.length === 1 ? "changes" : "change"}` : item.replacedBecause.join("; ");
    const blocked = preventsDestroy(item.base!) ? "; it has prevent_destroy, so the plan fails until that is turned off" : "";
    warnings.push(`${replacementWarning(item.base!, because)}${blocked}`);
  }
  if (status === "removed") {
    const warning = destructionWarning(item.base!);
    if (warning) warnings.push(warning);
  }
  if (status === "added" && movedFrom) {
    warnings.push(`has the name \`${displayName(item.head!)}\` of \`${movedFrom}\`, which is destroyed: Terraform destroys and creates it under the new address unless a \`moved\` block says it is the same`);
  }
  if (some.kind === "resource" && (status === "changed" || status === "replaced") && !REPLACEMENT_RULES[some.type]) {
    notes.push(`no replacement rule for ${some.type}: check \`cdktf diff\` to see whether it is replaced`);
  }
  if (status === "changed" && item.head) {
    const planOnly = item.indirect.length === 0 ? planOnlyNote(item.changes.map((change) => change.path)) : undefined;
    if (planOnly) notes.push(planOnly);
    for (const change of item.changes.filter((c) => c.path.length === 1)) {
      const note = writeOnlyVersionNote(item.head, String(change.path[0]), change.before, change.after);
      if (note) notes.push(note);
      const upgrade = change.path[0] === "kubernetes_version" ? kubernetesUpgradeWarning(item.head, change.before, change.after) : undefined;
      if (upgrade) warnings.push(upgrade);
    }
  }
  return {
    address: item.address,
    kind: some.kind,
    type: some.type,
    status,
    changes: item.changes.map((change) => attributeChange(change, [], names)),
    indirect: item.indirect,
    forcedBy: item.forcedBy,
    warnings,
    notes,
  };
}

/** Added items that take over the Azure name of a removed item of the same type: an address change. */
function movedItems(items: readonly ItemComparison[]): Map<string, string> {
  const removed = items.filter((item) => item.head === undefined && item.base?.kind === "resource");
  const moved = new Map<string, string>();
  for (const added of items.filter((item) => item.base === undefined && item.head?.kind === "resource")) {
    const name = displayName(added.head!);
    const from = removed.find((old) => old.base!.type === added.head!.type && name !== added.address && displayName(old.base!) === name);
    if (from) moved.set(added.address, from.address);
  }
  return moved;
}

/** Why a stack must be deployed: its own changes, or a value it reads from a stack that changes. */
function runReason(stack: StackComparison): string {
  const direct = stack.settingChanges.length > 0 || stack.items.some((item) => item.base === undefined || item.head === undefined || item.changes.length > 0);
  if (direct || stack.items.every((item) => item.indirect.length === 0)) return "changes";
  const because = stack.items.flatMap((item) => item.indirect.map((entry) => entry.because))[0];
  return `reads values that change: ${because}`;
}

function releasesOf(stack: StackComparison, names: SensitiveNames): ReleaseReview[] {
  const hide = (value: JsonValue, path: readonly PathSegment[]): JsonValue => redact(value, path, names);
  return stack.items.flatMap((item) => reviewRelease(stack.name, item.address, item.base, item.head, hide) ?? []);
}
