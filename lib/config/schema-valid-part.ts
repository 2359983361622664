/**
 * What later checks can still trust when the schema refuses part of a file, so that one run
 * reports every problem: the deployments the schema accepts, unless the shared `defaults` (which
 * every deployment inherits) or the file's own shape is what it refuses.
 */
import type { z } from "zod";
import { deploymentSchema, type ConfigFile, type DeploymentEntry, type Settings } from "./schema";

export interface SchemaValidPart {
  /** The file's `defaults`, when the schema accepts the whole file. */
  readonly defaults?: Settings;
  /** Deployments without a schema problem, parsed. */
  readonly entries: readonly DeploymentEntry[];
  /** Each deployment's name in file order, valid or not (undefined where it has none), for the checks across deployments. */
  readonly names: readonly (string | undefined)[];
}

/** All of a file the schema accepts. */
export function wholeFile(config: ConfigFile): SchemaValidPart {
  return { defaults: config.defaults, entries: config.deployments, names: config.deployments.map((entry) => entry.name) };
}

/** The part of a file the schema refuses (with `issues`) that later checks can run on. */
export function schemaValidPart(raw: unknown, issues: readonly z.core.$ZodIssue[]): SchemaValidPart {
  const entries = (raw as { deployments?: unknown } | null)?.deployments;
  if (!Array.isArray(entries)) return { entries: [], names: [] };
  const names = entries.map((entry) => {
    const name = (entry as { name?: unknown } | null)?.name;
    return typeof name === "string" && name !== "" ? name : undefined;
  });
  const refused = new Set<number>();
  for (const { path } of issues) {
    if (path[0] !== "deployments" || typeof path[1] !== "number") return { entries: [], names };
    refused.add(path[1]);
  }
  return { entries: entries.flatMap((entry, i) => (refused.has(i) ? [] : [deploymentSchema.parse(entry)])), names };
}
