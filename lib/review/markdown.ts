/**
 * The review as Markdown: what a pull request's reviewer reads (and GitHub's job summary shows).
 * Long values are shortened here only; `--json` keeps them whole.
 */
import type { JsonValue } from "../manifest/types";
import type { AttributeChange, CommandPlan, DeploymentReview, ItemReview, ReleaseReview, Review, StackReview } from "./findings";
import { shellVariable } from "./deploy-plan";
import { CCE_POLICY_ANNOTATION } from "./release";
import { shorten, shortenPair } from "./shorten";

/**
 * A run of backticks longer than any in the text (and at least `least` long): CommonMark closes a
 * code span or fence only at a run of the same length, so the text can never close it early.
 */
function fenceFor(text: string, least: number): string {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (run) => run[0].length));
  return "`".repeat(Math.max(least, longest + 1));
}

/** Inline code that survives backticks and table pipes in the text. */
function code(text: string): string {
  const fence = fenceFor(text, 1);
  const padded = text.includes("`") ? ` ${text} ` : text;
  return `${fence}${padded.replace(/\|/g, "\\|").replace(/\n/g, "⏎")}${fence}`;
}

function text(v: JsonValue): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function value(v: JsonValue | undefined): string {
  return v === undefined ? "(none)" : code(shorten(text(v)));
}

/** Both sides of a change, cut where they differ. */
function values(before: JsonValue | undefined, after: JsonValue | undefined): string {
  if (before === undefined || after === undefined) return `${value(before)} | ${value(after)}`;
  const [old, now] = shortenPair(text(before), text(after));
  return `${code(old)} | ${code(now)}`;
}

function changeTable(changes: readonly AttributeChange[], heading = "attribute"): string[] {
  if (changes.length === 0) return [];
  return [`| ${heading} | before | after |`, "| --- | --- | --- |", ...changes.map((c) => `| ${code(c.path)} | ${values(c.before, c.after)} |`), ""];
}

function summary(review: Review): string[] {
  const rows = review.deployments.flatMap((deployment) =>
    deployment.stacks.map(
      (stack) =>
        `| ${deployment.name} | ${stack.name} | ${stack.status} | ${(["added", "removed", "changed", "replaced", "unchanged"] as const).map((field) => stack.resources[field]).join(" | ")} | ${stack.dataSources.changed + stack.dataSources.added + stack.dataSources.removed} |`,
    ),
  );
  return [
    "## Summary",
    "",
    "| deployment | stack | stack status | resources added | removed | changed | of which replaced | unchanged | data sources added, removed or changed |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
  ];
}

function warnings(review: Review): string[] {
  if (review.warnings.length === 0) return [];
  return ["## Warnings", "", ...review.warnings.map((w) => `- **${w.stack}** ${code(w.address)}: ${w.message}`), ""];
}

function release(r: ReleaseReview): string[] {
  const lines = [`### ${r.stack}: ${code(r.address)} (${r.status})`, ""];
  if (r.images.length > 0) {
    lines.push("| container | image before | image after |", "| --- | --- | --- |");
    for (const image of r.images) lines.push(`| ${image.container} | ${values(image.before, image.after)} |`);
    lines.push("");
  }
  if (r.policy) {
    lines.push(`Confidential-computing policy (${code(CCE_POLICY_ANNOTATION)}), base64-decoded:`, "");
    for (const note of r.policy.notes) lines.push(`- ${note}`);
    if (r.policy.notes.length > 0) lines.push("");
    const fence = fenceFor(r.policy.diff, 3);
    if (r.policy.diff !== "") lines.push(`${fence}diff`, r.policy.diff.trimEnd(), fence, "");
  }
  if (r.podTemplate.length > 0) lines.push("Other pod template changes:", "", ...changeTable(r.podTemplate, "path"));
  return lines;
}

function releases(review: Review): string[] {
  const all = review.deployments.flatMap((d) => d.releases);
  if (all.length === 0) return [];
  return ["## Operator release", "", ...all.flatMap(release)];
}

const VERBS: Record<ItemReview["status"], string> = {
  added: "created",
  removed: "destroyed",
  changed: "updated in place",
  replaced: "**replaced** (destroyed and created again)",
  unchanged: "unchanged",
};

/** Data sources are read, not created or destroyed. */
const DATA_VERBS: Partial<Record<ItemReview["status"], string>> = {
  added: "new data source, read at plan time",
  removed: "no longer read",
  changed: "read with new arguments",
};

function item(i: ItemReview): string[] {
  const verb = (i.kind === "data" ? DATA_VERBS[i.status] : undefined) ?? VERBS[i.status];
  const lines = [`#### ${code(i.address)}: ${verb}`, ""];
  if (i.forcedBy.length > 0) lines.push(`Forces replacement: ${i.forcedBy.map(code).join(", ")}.`, "");
  lines.push(...changeTable(i.changes));
  const indirect = [...new Map(i.indirect.map((entry) => [entry.path, entry])).values()];
  if (indirect.length > 0) {
    lines.push("Same text, new value after apply:", "", ...indirect.map((entry) => `- ${code(entry.path)}: ${entry.because}`), "");
  }
  for (const warning of i.warnings) lines.push(`> **Warning:** ${warning}`, "");
  for (const note of i.notes) lines.push(`> ${note}`, "");
  return lines;
}

function stack(s: StackReview): string[] {
  if (s.status === "unchanged") return [];
  const lines = [`### ${s.name} (${s.status})`, ""];
  const listed = (status: ItemReview["status"]) => s.items.filter((i) => i.status === status);
  if (s.status === "added" || s.status === "removed") {
    const resources = s.items.filter((i) => i.kind === "resource");
    lines.push(`${s.status === "added" ? "Creates" : "Destroys"}: ${resources.map((i) => code(i.address)).join(", ")}`, "");
    for (const i of s.items) for (const warning of i.warnings) lines.push(`> **Warning:** ${code(i.address)} ${warning}`, "");
    return lines;
  }
  for (const status of ["replaced", "changed", "removed", "added"] as const) lines.push(...listed(status).flatMap(item));
  if (s.settings.length > 0) lines.push("Stack settings (backend, providers, variables, outputs, locals):", "", ...changeTable(s.settings, "path"));
  for (const warning of s.warnings) lines.push(`> **Warning:** ${warning}`, "");
  return lines;
}

function changes(review: Review): string[] {
  const stacks = review.deployments.flatMap((d) => d.stacks).filter((s) => s.status !== "unchanged");
  if (stacks.length === 0) return [];
  return ["## Changes", "", ...stacks.flatMap(stack)];
}

function commandBlock(plan: CommandPlan): string[] {
  const names = plan.variables.map(shellVariable);
  const set = names.map((name) => `read -rs ${name}`);
  const unset = names.length > 0 ? [`unset ${names.join(" ")}`] : [];
  const lines = ["```sh", ...set, ...plan.commands, ...unset, "```", ""];
  lines.push(...plan.stacks.map((s) => `- ${code(s.name)}: ${s.reason}`));
  if (plan.flagReason) lines.push(`- ${code("--ignore-missing-stack-dependencies")}: ${plan.flagReason}`);
  for (const note of plan.notes) lines.push(`- ${note}`);
  return [...lines, ""];
}

function deployment(d: DeploymentReview): string[] {
  if (!d.deploy && !d.destroy) return [];
  const lines = [`### ${d.name}${d.status === "removed" ? " (removed)" : ""}`, ""];
  if (d.teardown) lines.push(`> **Teardown and a new deployment:** ${d.teardown}`, "");
  if (d.destroy) lines.push("Destroy, dependents first:", "", ...commandBlock(d.destroy));
  if (d.deploy) lines.push("Deploy, dependencies first:", "", ...commandBlock(d.deploy));
  return lines;
}

function deploy(review: Review): string[] {
  const lines = review.deployments.flatMap(deployment);
  return lines.length === 0 ? [] : ["## To deploy", "", ...lines];
}

function rules(review: Review): string[] {
  const rows = review.replacementRules.map((r) => `| ${r.type} | ${r.arguments.map(code).join(", ")} | ${r.source} |`);
  const unknown = review.typesWithoutRules.map((type) => `| ${type} | (no rule: check \`cdktf diff\`) | |`);
  return [
    "<details><summary>Arguments that replace a resource (the rules this review applies)</summary>",
    "",
    "| resource type | changing any of these replaces it | source |",
    "| --- | --- | --- |",
    ...rows,
    ...unknown,
    "",
    "</details>",
    "",
  ];
}

/** What the head's synthesis warned about: it deploys with these, so the reviewer reads them first. */
function synthesisWarnings(review: Review): string[] {
  if (review.synthesisWarnings.length === 0) return [];
  return ["## Synthesis warnings", "", "The working tree's synthesis warns:", "", ...review.synthesisWarnings.map((w) => `- ${code(w)}`), ""];
}

export function renderMarkdown(review: Review): string {
  const head = `working tree at ${review.head.commit.slice(0, 12)}${review.head.uncommittedChanges ? " with uncommitted changes" : ""}`;
  const unchanged = review.deployments.every((d) => d.status === "unchanged");
  const lines = [
    "# Infrastructure review",
    "",
    `Base ${code(review.base.ref)} (${review.base.commit.slice(0, 12)}) compared with the ${head}; configuration: ${review.configuration}.`,
    "",
    ...(unchanged ? ["No infrastructure changes: every stack synthesizes to the same Terraform JSON.", ""] : []),
    ...summary(review),
    ...synthesisWarnings(review),
    ...warnings(review),
    ...releases(review),
    ...changes(review),
    ...deploy(review),
    ...rules(review),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}
