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
};

/** Documents of a kind that is never deployed. */
export function refusedKindProblems(file: string, documents: readonly ManifestDocument[]): string[] {
  return documents
    .filter((d) => Object.hasOwn(REFUSED_KINDS, d.kind))
    .map((d) => located(file, d.line, `${d.kind} ${d.name} (document ${d.index}) cannot be deployed: ${REFUSED_KINDS[d.kind]}`));
}

/** Documents of a kind that is neither the operator's own nor listed in `extraKinds`. */
export function unlistedKindProblems(file: string, documents: readonly ManifestDocument[], extraKinds: readonly string[]): string[] {
  const allowed = new Set([...OPERATOR_KINDS, ...extraKinds]);
  return documents
    .filter((d) => !allowed.has(d.kind) && !Object.hasOwn(REFUSED_KINDS, d.kind))
    .map((d) =>
      located(
        file,
        d.line,
        `${d.kind} ${d.name} (document ${d.index}) is not one of the operator's own kinds (${OPERATOR_KINDS.join(", ")}); if the release really needs it, list "${d.kind}" in operator.extraKinds`,
      ),
    );
}
