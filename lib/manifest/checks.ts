/**
 * What makes a parsed release unusable, beyond YAML and object shape (read.ts): placeholders the
 * project does not know, objects that would collide or must never be deployed, pods that would
 * reach beyond their containers, and a file that is not the operator's release at all.
 */
import { manifestConstructId } from "./construct-id";
import { located } from "./errors";
import { refusedKindProblems } from "./kinds";
import { isKnownPlaceholder, isSubstitutedPlaceholder, placeholdersIn, SUBSTITUTED_PLACEHOLDERS, TEMPLATE_PLACEHOLDERS } from "./placeholders";
import { podSecurityProblems } from "./pod-security";
import { tokenShapedValues } from "../token-shaped";
import { formatPath, stringsOf, valueAt } from "./walk";
import { isJsonObject, type ManifestDocument, type PathSegment, type ReleaseManifest } from "./types";

/** A document with a way to find the line of a path in the file (undefined when unknown). */
export interface LocatedDocument {
  readonly document: ManifestDocument;
  readonly lineOf: (path: readonly PathSegment[]) => number | undefined;
}

/** The pod annotation that names the managed identity a virtual-node pod runs with. */
export const IDENTITY_ANNOTATION = "microsoft.containerinstance.virtualnode.identity";
const IDENTITY_PATH = ["spec", "template", "metadata", "annotations", IDENTITY_ANNOTATION] as const;

const SUBSTITUTED_NAMES = Object.values(SUBSTITUTED_PLACEHOLDERS).join(", ");
const KNOWN_NAMES = [...Object.values(SUBSTITUTED_PLACEHOLDERS), ...TEMPLATE_PLACEHOLDERS].join(", ");

/**
 * Problems of the release as a whole. `complete` says every document was read; only then can
 * the absence of something (a Deployment, a Service) be told.
 */
export function checkRelease(file: string, documents: readonly LocatedDocument[], complete: boolean): string[] {
  const bodies = documents.map((d) => d.document);
  const problems = [
    ...documents.flatMap((d) => tokenProblems(file, d)),
    ...documents.flatMap((d) => placeholderProblems(file, d)),
    ...collisionProblems(file, bodies),
    ...refusedKindProblems(file, bodies),
    ...documents.flatMap((d) => clusterRoleBindingProblems(file, d)),
    ...documents.flatMap((d) => identityProblems(file, d)),
    ...documents.flatMap(({ document, lineOf }) =>
      podSecurityProblems(document).map((p) => located(file, lineOf(p.path) ?? document.line, `${document.kind} ${document.name} at ${formatPath(p.path)} ${p.text}`)),
    ),
  ];
  if (!complete) return problems;
  if (!bodies.some(isDeployment)) {
    problems.push(located(file, undefined, "holds no apps/v1 Deployment; the release's operator.yaml defines the operator-deployment Deployment"));
  }
  if (!bodies.some(isLoadBalancerService)) {
    problems.push(located(file, undefined, "holds no v1 Service of type LoadBalancer; the health check needs the operator's address"));
  }
  return problems;
}

export function isDeployment(document: ManifestDocument): boolean {
  return document.apiVersion === "apps/v1" && document.kind === "Deployment";
}

/** The name of the release's Deployment (`operator-deployment`), which the checks require to be there. */
export function operatorDeploymentName(manifest: ReleaseManifest): string {
  const deployment = manifest.documents.find(isDeployment);
  if (deployment === undefined) throw new Error("the release manifest holds no Deployment; validation should have refused it");
  return deployment.name;
}

export function isLoadBalancerService(document: ManifestDocument): boolean {
  const spec = document.body.spec;
  return document.apiVersion === "v1" && document.kind === "Service" && isJsonObject(spec) && spec.type === "LoadBalancer";
}

/**
 * A value that cdktf would decode as one of its tokens would become a Terraform expression in
 * the synthesized JSON (lib/token-shaped.ts): no release has a reason to hold one.
 */
function tokenProblems(file: string, { document, lineOf }: LocatedDocument): string[] {
  return Array.from(tokenShapedValues(document.body), ({ path, value, isKey }) =>
    located(
      file,
      lineOf(path) ?? document.line,
      `${document.kind} ${document.name} at ${formatPath(path)}: the ${isKey ? "key" : "value"} ${JSON.stringify(value)} has the form of a cdktf token, which synthesis would turn into a Terraform expression; a release never holds one (was the file edited by hand?)`,
    ),
  );
}

/**
 * A RoleBinding may grant only a Role of its own namespace. Bound to a ClusterRole
 * (`cluster-admin`, `admin`, `edit`, ...) it hands out rights written for the whole cluster, even
 * when `RoleBinding` is listed in `operator.extraKinds`.
 */
function clusterRoleBindingProblems(file: string, { document, lineOf }: LocatedDocument): string[] {
  if (document.kind !== "RoleBinding") return [];
  const roleRef = document.body.roleRef;
  if (!isJsonObject(roleRef) || roleRef.kind === "Role") return [];
  return [
    located(
      file,
      lineOf(["roleRef", "kind"]) ?? document.line,
      `RoleBinding ${document.name} binds the ${String(roleRef.kind)} ${JSON.stringify(roleRef.name)}; a release may bind only a Role of its own namespace, never a ClusterRole's cluster-wide rights`,
    ),
  ];
}

function placeholderProblems(file: string, { document, lineOf }: LocatedDocument): string[] {
  const problems: string[] = [];
  const where = (path: readonly PathSegment[]) => `in ${document.kind} ${document.name} at ${formatPath(path)}`;
  for (const { path, text, isKey } of stringsOf(document.body)) {
    for (const token of placeholdersIn(text)) {
      if (!isKnownPlaceholder(token)) {
        problems.push(located(file, lineOf(path), `unknown placeholder ${token} ${where(path)}; only ${KNOWN_NAMES} are known, and nothing would fill it in`));
      } else if (isKey && isSubstitutedPlaceholder(token)) {
        problems.push(located(file, lineOf(path), `placeholder ${token} in a key ${where(path)}; only values are filled in (${SUBSTITUTED_NAMES})`));
      }
    }
  }
  return problems;
}

/**
 * Every Deployment's pods must run with the deployment's managed identity: IDENTITY_PLACEHOLDER
 * as the value of the identity annotation of its pod template. The placeholder anywhere else
 * would be filled in too, but the pods would not get the identity.
 */
function identityProblems(file: string, { document, lineOf }: LocatedDocument): string[] {
  if (!isDeployment(document)) return [];
  const value = valueAt(document.body, IDENTITY_PATH);
  if (value === SUBSTITUTED_PLACEHOLDERS.identityResourceId) return [];
  const found = value === undefined ? "it has none" : `it is ${JSON.stringify(value)}`;
  return [
    located(
      file,
      lineOf(IDENTITY_PATH) ?? document.line,
      `Deployment ${document.name} has no ${SUBSTITUTED_PLACEHOLDERS.identityResourceId} as its pod template's ${IDENTITY_ANNOTATION} annotation (${found}); ` +
        "without it the pods run without the managed identity and cannot read the operator key from the Key Vault (was the file already edited by hand? use the release's operator.yaml as unzipped)",
    ),
  ];
}

/**
 * Each document becomes a resource whose id is derived from its kind and name: two documents
 * with one id would be one resource defined twice, whether they are the same object or differ
 * only in case or punctuation.
 */
function collisionProblems(file: string, documents: readonly ManifestDocument[]): string[] {
  const seen = new Map<string, ManifestDocument>();
  const problems: string[] = [];
  for (const document of documents) {
    const id = manifestConstructId(document);
    const first = seen.get(id);
    if (!first) {
      seen.set(id, document);
    } else if (first.kind === document.kind && first.name === document.name) {
      problems.push(located(file, document.line, `${document.kind} ${document.name} is defined twice (documents ${first.index} and ${document.index})`));
    } else {
      problems.push(
        located(
          file,
          document.line,
          `${document.kind} ${document.name} (document ${document.index}) and ${first.kind} ${first.name} (document ${first.index}, line ${first.line}) differ only in case or punctuation; both would become the resource kubernetes_manifest.${id}`,
        ),
      );
    }
  }
  return problems;
}
