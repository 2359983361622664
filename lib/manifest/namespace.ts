/** The one field the project may add to a released object: `metadata.namespace`. */
import { isJsonObject, type JsonObject } from "./types";

/**
 * Kinds that live outside namespaces; a namespace on them is meaningless. The release holds a
 * Deployment and a Service, both namespaced; this list covers the built-in cluster-scoped kinds
 * a future release could plausibly add.
 */
const CLUSTER_SCOPED_KINDS = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "StorageClass",
  "PriorityClass",
  "RuntimeClass",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "APIService",
  "CSIDriver",
  "IngressClass",
]);

export function isNamespacedKind(kind: string): boolean {
  return !CLUSTER_SCOPED_KINDS.has(kind);
}

/**
 * The object with `metadata.namespace` set to `namespace` when it has none and its kind is
 * namespaced; otherwise the object unchanged. A namespace the release sets itself is kept.
 */
export function withNamespace(document: JsonObject, namespace: string): JsonObject {
  const metadata = document.metadata;
  if (!isJsonObject(metadata) || "namespace" in metadata) return document;
  if (typeof document.kind !== "string" || !isNamespacedKind(document.kind)) return document;
  return { ...document, metadata: { ...metadata, namespace } };
}
