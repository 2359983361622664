/**
 * The commands that put a change into effect, per deployment: `cdktf deploy` of the stacks that
 * change, in dependency order, and `cdktf destroy` of the stacks the change removes.
 */
import { isJsonObject, type JsonObject } from "../manifest/types";
import { destructionWarning, preventsDestroy } from "./consequences";
import type { CommandPlan, StackReview, StackToRun } from "./findings";
import type { Synthesis } from "./synthesis";
import { itemsOf } from "./terraform-items";

/**
 * cdktf 0.21 refuses to run a stack whose dependencies are not selected too ("Usage Error: The
 * following dependencies are not included in the stacks to run") unless given this flag.
 */
export const IGNORE_MISSING_DEPENDENCIES = "--ignore-missing-stack-dependencies";

/** `TF_VAR_<name>` for each variable without a default: Terraform asks for it on every run. */
function requiredVariables(stacks: readonly (JsonObject | undefined)[]): string[] {
  const names = stacks.flatMap((json) => {
    const variables = json?.variable;
    return isJsonObject(variables) ? Object.entries(variables).filter(([, body]) => isJsonObject(body) && !("default" in body)).map(([name]) => `TF_VAR_${name}`) : [];
  });
  return [...new Set(names)];
}

/** Deploys the stacks that are added or changed, in the given (dependency) order. */
export function deployPlan(stacks: readonly StackReview[], head: Synthesis, reasons: ReadonlyMap<string, string>): CommandPlan | undefined {
  const toRun: StackToRun[] = stacks
    .filter((stack) => stack.status === "added" || stack.status === "changed")
    .map((stack) => ({ name: stack.name, reason: reasons.get(stack.name) ?? stack.status }));
  if (toRun.length === 0) return undefined;
  const selected = new Set(toRun.map((stack) => stack.name));
  const missing = [...new Set(toRun.flatMap((stack) => head.get(stack.name)?.dependencies ?? []))].filter((dep) => !selected.has(dep));
  const flagReason =
    missing.length > 0
      ? `${list(missing)} ${missing.length === 1 ? "has no changes and stays" : "have no changes and stay"} as deployed; cdktf refuses to run a stack whose dependencies are not selected unless given ${IGNORE_MISSING_DEPENDENCIES}`
      : undefined;
  const variables = requiredVariables(toRun.map((stack) => head.get(stack.name)?.json));
  return {
    stacks: toRun,
    command: ["npx cdktf deploy", ...toRun.map((stack) => stack.name), ...(flagReason ? [IGNORE_MISSING_DEPENDENCIES] : [])].join(" "),
    ...(flagReason ? { flagReason } : {}),
    variables,
    notes: variables.length > 0 ? [`set ${variables.join(", ")} first (read -rs ${variables[0]} && export ${variables[0]}), unset afterwards`] : [],
  };
}

/**
 * Destroys the stacks the change removes. They exist only in the base's synthesis, so the command
 * runs from a checkout of the base, before the change is applied.
 */
export function destroyPlan(stacks: readonly StackReview[], base: Synthesis, baseLabel: string): CommandPlan | undefined {
  const removed = stacks.filter((stack) => stack.status === "removed").map((stack) => stack.name).reverse();
  if (removed.length === 0) return undefined;
  const selected = new Set(removed);
  const dependants = [...base.values()].filter((stack) => !selected.has(stack.name) && stack.dependencies.some((dep) => selected.has(dep))).map((stack) => stack.name);
  const flagReason =
    dependants.length > 0
      ? `${list(dependants)} ${dependants.length === 1 ? "reads" : "read"} outputs of these stacks but stay${dependants.length === 1 ? "s" : ""}; cdktf refuses to destroy them alone unless given ${IGNORE_MISSING_DEPENDENCIES}`
      : undefined;
  const variables = requiredVariables(removed.map((name) => base.get(name)?.json));
  const blockers = removed.flatMap((name) => {
    const json = base.get(name)?.json;
    return json ? [...itemsOf(json).values()].filter(preventsDestroy).map((item) => `${name}: ${destructionWarning(item)}`) : [];
  });
  return {
    stacks: removed.map((name) => ({ name, reason: "removed" })),
    command: ["npx cdktf destroy", ...removed, ...(flagReason ? [IGNORE_MISSING_DEPENDENCIES] : [])].join(" "),
    ...(flagReason ? { flagReason } : {}),
    variables,
    notes: [
      `run it from a checkout of ${baseLabel} before this change is applied: this revision no longer synthesizes these stacks, so cdktf cannot find them`,
      ...(variables.length > 0 ? [`set ${variables.join(", ")} first: Terraform needs ${variables.length === 1 ? "it" : "them"} on destroy too`] : []),
      ...blockers,
    ],
  };
}

function list(names: readonly string[]): string {
  return names.map((name) => `\`${name}\``).join(", ");
}
