/**
 * Which kinds of object a release may hold. A UID2 release is a Deployment and a Service; the
 * operator's own kinds below are what a release could plausibly add. Anything else must be
 * allowed per deployment (`operator.extraKinds`), so that an unexpected object in a file is a
 * question asked, not something deployed. Some kinds are never deployed.
 */
import { located } from "./errors";
import type { ManifestDocument } from "./types";

export const OPERATOR_KINDS: readonly string[] = [
  "Deployment",
  "Service",
  "PodDisruptionBudget",
  "HorizontalPodAutoscaler",
  "ConfigMap",
  "ServiceAccount",
  "NetworkPolicy",
];

/** Kinds refused in any release and in `operator.extraKinds`, with the reason. */
export const REFUSED_KINDS: Readonly<Record<string, string>> = {
  Secret:
    "its data would be written in the clear into the synthesized JSON and the Terraform state; keep secrets in Key Vault, where the operator key is, and let the pods read them with their managed identity",
  ClusterRole: "cluster-wide RBAC grants rights over the whole cluster, far beyond the operator's namespace; the operator needs none",
  ClusterRoleBinding: "cluster-wide RBAC grants rights over the whole cluster, far beyond the operator's namespace; the operator needs none",
  CustomResourceDefinition: "it changes the cluster's API for every namespace; the operator defines no resources of its own",
  APIService: "it hands a part of the cluster's API to another server, which then answers for every client of the cluster",
  MutatingWebhookConfiguration: "an admission webhook sees, and may change, every object created in the cluster",
  ValidatingWebhookConfiguration: "an admission webhook sees every object created in the cluster, and may refuse it",
};

/**
 * Why a kind is never deployed, or undefined. Kinds are matched exactly, as the API server
 * matches them; a refused kind written in another case (`SECRET`) is refused as that kind, since
 * it is no kind at all but only an attempt to pass the check. List kinds (`List`, `SecretList`,
 * ...) wrap items that would escape every check of this file.
 */
export function refusedKindReason(kind: string): string | undefined {
  if (Object.hasOwn(REFUSED_KINDS, kind)) return REFUSED_KINDS[kind];
  const sameButCase = Object.keys(REFUSED_KINDS).find((refused) => refused.toLowerCase() === kind.toLowerCase());
  if (sameButCase) return `it is ${sameButCase} written in another case (kinds are case-sensitive, and ${sameButCase} is never deployed: ${REFUSED_KINDS[sameButCase]})`;
  if (/list$/i.test(kind)) return "a list kind wraps objects (a Secret, a privileged pod) that would then escape every check of the release; write each object as a document of its own";
  return undefined;
}

/** Documents of a kind that is never deployed. */
export function refusedKindProblems(file: string, documents: readonly ManifestDocument[]): string[] {
  return documents.flatMap((d) => {
    const reason = refusedKindReason(d.kind);
    return reason === undefined ? [] : [located(file, d.line, `${d.kind} ${d.name} (document ${d.index}) cannot be deployed: ${reason}`)];
  });
}

/** Documents of a kind that is neither the operator's own nor listed in `extraKinds`. */
export function unlistedKindProblems(file: string, documents: readonly ManifestDocument[], extraKinds: readonly string[]): string[] {
  const allowed = new Set([...OPERATOR_KINDS, ...extraKinds]);
  return documents
    .filter((d) => !allowed.has(d.kind) && refusedKindReason(d.kind) === undefined)
    .map((d) =>
      located(
        file,
        d.line,
        `${d.kind} ${d.name} (document ${d.index}) is not one of the operator's own kinds (${OPERATOR_KINDS.join(", ")}); if the release really needs it, list "${d.kind}" in operator.extraKinds`,
      ),
    );
}
