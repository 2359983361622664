import type { ManifestDocument } from "./types";

/**
 * The construct id of a document's `kubernetes_manifest`: stable per object (kind and name), so
 * that a new release of the same objects is an in-place update. Ids are lowercase with
 * punctuation folded to `-`, so two objects whose kind and name differ only in case or
 * punctuation (`Service a.b`, `service a-b`) share one; the release checks refuse that.
 */
export function manifestConstructId(document: Pick<ManifestDocument, "kind" | "name">): string {
  return `${document.kind}-${document.name}`.toLowerCase().replace(/[^a-z0-9-]+/g, "-");
}
