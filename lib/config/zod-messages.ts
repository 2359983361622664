/**
 * Turns zod issues into this project's messages: `<deployment>: <dotted.path> <value> <allowed>`.
 */
import type { z } from "zod";
import { settingsShape } from "./schema";
import { Problems, showValue } from "./problems";

type Path = readonly PropertyKey[];

const TOP_LEVEL_KEYS = ["$schema", "defaults", "deployments"];
const DEPLOYMENT_KEYS = ["name", "environment", "location", ...Object.keys(settingsShape)];

/** Where a path of the file is: the deployment (or `defaults`, or the file) and the path inside it. */
export function locate(file: string, raw: unknown, path: Path): { where: string; rest: Path } {
  if (path[0] === "defaults") return { where: "defaults", rest: path.slice(1) };
  if (path[0] === "deployments" && typeof path[1] === "number") {
    const entry = (raw as { deployments?: unknown[] }).deployments?.[path[1]] as { name?: unknown } | undefined;
    const name = typeof entry?.name === "string" && entry.name !== "" ? entry.name : `deployments[${path[1]}]`;
    return { where: name, rest: path.slice(2) };
  }
  return { where: file, rest: path };
}

export function dotted(path: Path): string {
  return path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), "");
}

function valueAt(raw: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined), raw);
}

/** The keys allowed in the object at `path` of the file. */
function knownKeys(path: Path): string[] {
  if (path.length === 0) return TOP_LEVEL_KEYS;
  const inDeployment = path[0] === "deployments";
  const rest = path.slice(inDeployment ? 2 : 1);
  if (rest.length === 0) return inDeployment ? DEPLOYMENT_KEYS : Object.keys(settingsShape);
  const group = settingsShape[rest[0] as keyof typeof settingsShape] as unknown as { shape?: Record<string, unknown> };
  return group?.shape ? Object.keys(group.shape) : [];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

function suggestion(key: string, known: readonly string[]): string {
  const best = known
    .map((candidate) => ({ candidate, distance: editDistance(key, candidate) }))
    .sort((x, y) => x.distance - y.distance)[0];
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best.candidate}"?)` : "";
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined) return "is required";
  switch (issue.code) {
    case "invalid_type": {
      const expected = issue.expected === "int" ? "a whole number" : issue.expected === "array" ? "a list" : `a ${issue.expected}`;
      return `must be ${expected}`;
    }
    case "too_small":
      if (issue.origin === "string") return "must not be empty";
      if (issue.origin === "array") return issue.message;
      return `must be at least ${String(issue.minimum)}`;
    case "too_big":
      return `must be at most ${String(issue.maximum)}`;
    case "invalid_value":
      return `must be one of: ${issue.values.map((v) => String(v)).join(", ")}`;
    default:
      return issue.message;
  }
}

/** Reports every zod issue of the raw file. */
export function reportZodIssues(problems: Problems, file: string, raw: unknown, issues: readonly z.core.$ZodIssue[]): void {
  for (const issue of issues) {
    const { where, rest } = locate(file, raw, issue.path);
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(issue.path);
      for (const key of issue.keys) {
        const path = dotted([...rest, key]);
        problems.errorText(`${where}: ${path} is not a known setting${suggestion(key, known)}; allowed here: ${known.join(", ")}`);
      }
      continue;
    }
    const value = valueAt(raw, issue.path);
    const path = dotted(rest) || "(top level)";
    problems.errorText(`${where}: ${path}${value === undefined ? "" : ` ${showValue(value)}`} ${describe(issue, value)}`);
  }
}
