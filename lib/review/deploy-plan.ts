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

/** `TF_VAR_<name>` for each variable without a default in a stack: Terraform asks for it on every run. */
function variablesOf(json: JsonObject | undefined): string[] {
  const variables = json?.variable;
  return isJsonObject(variables) ? Object.entries(variables).filter(([, body]) => isJsonObject(body) && !("default" in body)).map(([name]) => `TF_VAR_${name}`) : [];
}

function requiredVariables(stacks: readonly (JsonObject | undefined)[]): string[] {
  return [...new Set(stacks.flatMap(variablesOf))];
}

/** The shell variable a runbook reads a Terraform variable into: `TF_VAR_operator_key` -> `OPERATOR_KEY`. */
export function shellVariable(terraformVariable: string): string {
  return terraformVariable.replace(/^TF_VAR_/, "").toUpperCase();
}

/**
 * The commands that run `stacks` (in order) the way the README's runbooks do: a stack that needs
 * a variable runs alone, given it as `TF_VAR_<name>="$<NAME>"` (never exported, so no other stack
 * receives it); the stacks between run together, and cdktf orders them. A command whose stacks
 * reach outside it (`outside`) gets the flag, and then names one stack only: with the flag,
 * cdktf starts every stack it names at once, whatever their order.
 */
function commandsFor(verb: "deploy" | "destroy", stacks: readonly string[], variables: (stack: string) => readonly string[], outside: (group: readonly string[]) => boolean): string[] {
  const groups: string[][] = [];
  for (const stack of stacks) {
    const last = groups[groups.length - 1];
    if (variables(stack).length > 0 || !last || variables(last[0]).length > 0) groups.push([stack]);
    else last.push(stack);
  }
  const split = groups.flatMap((group) => (group.length > 1 && outside(group) ? group.map((stack) => [stack]) : [group]));
  return split.map((group) => {
    const given = variables(group[0]).map((name) => `${name}="$${shellVariable(name)}" `).join("");
    return `${given}npx cdktf ${verb} ${group.join(" ")}${outside(group) ? ` ${IGNORE_MISSING_DEPENDENCIES}` : ""}`;
  });
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
  const dependencies = (name: string) => head.get(name)?.dependencies ?? [];
  return {
    stacks: toRun,
    commands: commandsFor(
      "deploy",
      toRun.map((stack) => stack.name),
      (name) => variablesOf(head.get(name)?.json),
      (group) => group.some((name) => dependencies(name).some((dep) => !group.includes(dep))),
    ),
    ...(flagReason ? { flagReason } : {}),
    variables,
    notes: variables.map((name) => `${name} is given to the stacks that declare it only; read it first with read -rs ${shellVariable(name)}, unset afterwards`),
  };
}

/**
 * Destroys the stacks the change removes (`why`: because this revision no longer synthesizes
 * them, or because the whole deployment is torn down). The command runs from a checkout of the
 * base, whose synthesis holds them as deployed, before the change is applied.
 */
export function destroyPlan(stacks: readonly StackReview[], base: Synthesis, baseLabel: string, why = "this revision no longer synthesizes these stacks, so cdktf cannot find them"): CommandPlan | undefined {
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
  const dependantsOf = (name: string) => [...base.values()].filter((stack) => stack.dependencies.includes(name)).map((stack) => stack.name);
  return {
    stacks: removed.map((name) => ({ name, reason: "removed" })),
    commands: commandsFor(
      "destroy",
      removed,
      (name) => variablesOf(base.get(name)?.json),
      (group) => group.some((name) => dependantsOf(name).some((dependant) => !group.includes(dependant))),
    ),
    ...(flagReason ? { flagReason } : {}),
    variables,
    notes: [
      `run it from a checkout of ${baseLabel} before this change is applied: ${why}`,
      ...variables.map((name) => `${name} is needed on destroy too: read it first with read -rs ${shellVariable(name)}, unset afterwards`),
      ...blockers,
    ],
  };
}

function list(names: readonly string[]): string {
  return names.map((name) => `\`${name}\``).join(", ");
}
