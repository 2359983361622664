/**
 * Stack ids are `<deployment>-<kind>`, and runbooks select a deployment's stacks with cdktf's
 * stack globs (`npx cdktf deploy 'prod-*'`). Such a glob also matches every deployment whose name
 * is this one followed by a hyphen (`prod-west-network`), so those names are refused.
 */
import type { Problems } from "../problems";

/** Words tried, in order, to suggest a name for the shorter deployment. */
const SUGGESTED_SUFFIXES = ["main", "primary", "one"];

export function checkStackSelection(deploymentNames: readonly string[], problems: Problems): void {
  const names = [...new Set(deploymentNames)];
  for (const longer of names) {
    const shorter = names.find((name) => longer.startsWith(`${name}-`));
    if (shorter === undefined) continue;
    problems.errorText(
      `${longer}: name "${longer}" begins with "${shorter}-", the name of another deployment followed by a hyphen: ` +
        `a stack glob such as '${shorter}-*' (npx cdktf deploy '${shorter}-*') would select the stacks of both deployments; ` +
        `rename one so that no name is another's followed by "-", for example "${suggestedName(shorter, names)}" and "${longer}"`,
    );
  }
}

/** `<shorter>-main` (or the next free word): a name no other deployment's glob, or its own, mixes up. */
function suggestedName(shorter: string, names: readonly string[]): string {
  const others = names.filter((name) => name !== shorter);
  const clashes = (a: string, b: string) => a === b || a.startsWith(`${b}-`) || b.startsWith(`${a}-`);
  const free = SUGGESTED_SUFFIXES.map((suffix) => `${shorter}-${suffix}`).find((candidate) => !others.some((name) => clashes(candidate, name)));
  return free ?? `${shorter.replace(/-/g, "")}0`;
}
