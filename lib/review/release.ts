/**
 * The operator release, decoded: for each kubernetes_manifest holding a Deployment, the images
 * before and after, the confidential-computing policy annotation base64-decoded and diffed as
 * text, and the pod template's other changes. A new release otherwise shows as a new base64
 * blob nobody can read.
 */
import { isJsonObject, type JsonObject, type JsonValue, type PathSegment } from "../manifest/types";
import { formatPath } from "../manifest/walk";
import type { AttributeChange, ImageChange, PolicyChange, ReleaseReview } from "./findings";
import { diffJson, valueAt, type JsonChange } from "./json-diff";
import { unifiedDiff } from "./policy-diff";
import { shorten } from "./shorten";
import type { Item } from "./terraform-items";

/** The pod annotation that carries the release's policy (facts: "The release's operator.yaml"). */
export const CCE_POLICY_ANNOTATION = "microsoft.containerinstance.virtualnode.ccepolicy";

const TEMPLATE = ["manifest", "spec", "template"] as const;

function isDeploymentManifest(item: Item | undefined): item is Item {
  return item?.type === "kubernetes_manifest" && valueAt(item.body, ["manifest", "kind"]) === "Deployment";
}

/** Shows a value of the item's body at a path, or what stands in for it (sensitive.ts). */
export type Redaction = (value: JsonValue, path: readonly PathSegment[]) => JsonValue;

/**
 * The release review of one kubernetes_manifest; undefined when it holds no Deployment or its pod
 * template is unchanged.
 */
export function reviewRelease(stack: string, address: string, base: Item | undefined, head: Item | undefined, hide: Redaction): ReleaseReview | undefined {
  const before = isDeploymentManifest(base) ? templateOf(base) : undefined;
  const after = isDeploymentManifest(head) ? templateOf(head) : undefined;
  if (before === undefined && after === undefined) return undefined;
  const changes = diffJson(before, after);
  if (changes.length === 0) return undefined;
  const status = before === undefined ? "added" : after === undefined ? "removed" : "changed";
  const policy = policyChange(annotation(before), annotation(after));
  return {
    stack,
    address,
    status,
    images: imageChanges(before, after),
    ...(policy ? { policy } : {}),
    podTemplate: changes.filter((change) => !isImageOrPolicy(change.path)).map((change) => templateChange(change, hide)),
  };
}

function templateOf(item: Item): JsonObject | undefined {
  const template = valueAt(item.body, TEMPLATE);
  return isJsonObject(template) ? template : undefined;
}

function annotation(template: JsonObject | undefined): JsonValue | undefined {
  return valueAt(template, ["metadata", "annotations", CCE_POLICY_ANNOTATION]);
}

function containersOf(template: JsonObject | undefined): Map<string, JsonObject> {
  const containers = valueAt(template, ["spec", "containers"]);
  const byName = new Map<string, JsonObject>();
  if (!Array.isArray(containers)) return byName;
  containers.forEach((container, i) => {
    if (isJsonObject(container)) byName.set(typeof container.name === "string" ? container.name : `#${i}`, container);
  });
  return byName;
}

function imageChanges(before: JsonObject | undefined, after: JsonObject | undefined): ImageChange[] {
  const old = containersOf(before);
  const now = containersOf(after);
  const names = [...new Set([...old.keys(), ...now.keys()])];
  return names.flatMap((container) => {
    const from = old.get(container)?.image;
    const to = now.get(container)?.image;
    if (from === to) return [];
    return [{ container, ...(typeof from === "string" ? { before: from } : {}), ...(typeof to === "string" ? { after: to } : {}) }];
  });
}

/** Image and policy are shown on their own; the rest of the template's changes are listed. */
function isImageOrPolicy(path: readonly PathSegment[]): boolean {
  const isImage = path.length === 4 && path[0] === "spec" && path[1] === "containers" && path[3] === "image";
  const isPolicy = path.length === 3 && path[0] === "metadata" && path[1] === "annotations" && path[2] === CCE_POLICY_ANNOTATION;
  return isImage || isPolicy;
}

function templateChange(change: JsonChange, hide: Redaction): AttributeChange {
  const at = [...TEMPLATE, ...change.path];
  return {
    path: formatPath(at.slice(1)),
    ...(change.before !== undefined ? { before: hide(change.before, at) } : {}),
    ...(change.after !== undefined ? { after: hide(change.after, at) } : {}),
  };
}

/** The policy text of an annotation value, or why there is none. */
export function decodePolicy(value: JsonValue | undefined): { text?: string; note?: string } {
  if (value === undefined) return {};
  if (typeof value !== "string") return { note: `not a string: ${JSON.stringify(value)}` };
  const compact = value.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return { note: `not base64: ${JSON.stringify(shorten(value, 60))}` };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(compact, "base64")) };
  } catch {
    return { note: "base64, but not UTF-8 text" };
  }
}

function policyChange(before: JsonValue | undefined, after: JsonValue | undefined): PolicyChange | undefined {
  if (before === after) return undefined;
  const old = decodePolicy(before);
  const now = decodePolicy(after);
  const notes = [old.note && `before: ${old.note}`, now.note && `after: ${now.note}`].filter((note): note is string => Boolean(note));
  const diff = unifiedDiff(old.text ?? "", now.text ?? "", { before: "policy before", after: "policy after" });
  return { ...(old.text !== undefined ? { before: old.text } : {}), ...(now.text !== undefined ? { after: now.text } : {}), diff, notes };
}
