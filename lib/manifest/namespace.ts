/** The one field the project may add to a released object: `metadata.namespace`. */
import { located } from "./errors";
import { isJsonObject, type JsonObject, type ManifestDocument } from "./types";

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

/**
 * Documents that name a namespace other than the deployment's `operator.namespace`: a release
 * writing into `kube-system` or another team's namespace. Refused rather than guessed: neither
 * the release's namespace nor the configured one can be assumed to be what was meant.
 */
export function foreignNamespaceProblems(file: string, documents: readonly ManifestDocument[], namespace: string): string[] {
  return documents.flatMap((d) => {
    const metadata = d.body.metadata;
    const own = isJsonObject(metadata) ? metadata.namespace : undefined;
    if (own === undefined || own === namespace) return [];
    return [located(file, d.line, `${d.kind} ${d.name} (document ${d.index}) names the namespace ${JSON.stringify(own)}, not operator.namespace ${JSON.stringify(namespace)}; remove metadata.namespace from the document, or set operator.namespace to it`)];
  });
}
