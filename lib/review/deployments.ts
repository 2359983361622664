/**
 * Stacks grouped into deployments, and the order they deploy in, from the dependencies cdktf
 * records in manifest.json: a deployment is a set of stacks connected by dependencies (its stacks
 * read only each other's state), named after their common prefix.
 */
import type { Synthesis } from "./synthesis";

export interface DeploymentGroup {
  readonly name: string;
  /** Its stacks on either side, dependencies first. */
  readonly stacks: readonly string[];
}

/** Dependencies of each stack, on either side of the comparison. */
export function dependencyGraph(...syntheses: Synthesis[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const synthesis of syntheses) {
    for (const stack of synthesis.values()) {
      const deps = graph.get(stack.name) ?? new Set<string>();
      for (const dep of stack.dependencies) deps.add(dep);
      graph.set(stack.name, deps);
    }
  }
  return graph;
}

/** Connected stacks, each group in dependency order; groups sorted by name. */
export function groupDeployments(graph: ReadonlyMap<string, ReadonlySet<string>>): DeploymentGroup[] {
  const neighbours = new Map<string, Set<string>>([...graph.keys()].map((name) => [name, new Set<string>()]));
  for (const [name, deps] of graph) {
    for (const dep of deps) {
      if (!neighbours.has(dep)) continue;
      neighbours.get(name)!.add(dep);
      neighbours.get(dep)!.add(name);
    }
  }
  const seen = new Set<string>();
  const groups: DeploymentGroup[] = [];
  for (const start of [...graph.keys()].sort()) {
    if (seen.has(start)) continue;
    const members: string[] = [];
    const queue = [start];
    seen.add(start);
    while (queue.length > 0) {
      const name = queue.shift()!;
      members.push(name);
      for (const next of neighbours.get(name)!) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    groups.push({ name: deploymentName(members), stacks: dependencyOrder(members, graph) });
  }
  return groups.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The stacks' common prefix up to its last hyphen (`integ-network`, `integ-cluster` → `integ`);
 * a lone stack's name without its last part.
 */
export function deploymentName(stacks: readonly string[]): string {
  let prefix = stacks[0];
  for (const name of stacks) {
    while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  if (stacks.length === 1 || prefix === stacks[0]) prefix = prefix.slice(0, prefix.lastIndexOf("-") + 1);
  const cut = prefix.lastIndexOf("-");
  const name = cut > 0 ? prefix.slice(0, cut) : prefix;
  return name === "" ? stacks[0] : name;
}

/** Dependencies before dependents; among stacks free to go, alphabetical. */
export function dependencyOrder(stacks: readonly string[], graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const pending = new Set(stacks);
  const ordered: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter((name) => ![...(graph.get(name) ?? [])].some((dep) => pending.has(dep))).sort();
    // A cycle cannot come from cdktf; should one appear, keep the rest in name order rather than loop.
    const next = ready.length > 0 ? ready : [...pending].sort();
    for (const name of next) {
      ordered.push(name);
      pending.delete(name);
    }
  }
  return ordered;
}
