/**
 * What makes a parsed release unusable, beyond YAML and object shape (read.ts): placeholders the
 * project does not know, and a file that is not the operator's release at all.
 */
import { located } from "./errors";
import { isKnownPlaceholder, isSubstitutedPlaceholder, placeholdersIn, SUBSTITUTED_PLACEHOLDERS, TEMPLATE_PLACEHOLDERS } from "./placeholders";
import { formatPath, stringsOf } from "./walk";
import { isJsonObject, type ManifestDocument, type PathSegment } from "./types";

/** A document with a way to find the line of a path in the file (undefined when unknown). */
export interface LocatedDocument {
  readonly document: ManifestDocument;
  readonly lineOf: (path: readonly PathSegment[]) => number | undefined;
}

const SUBSTITUTED_NAMES = Object.values(SUBSTITUTED_PLACEHOLDERS).join(", ");
const KNOWN_NAMES = [...Object.values(SUBSTITUTED_PLACEHOLDERS), ...TEMPLATE_PLACEHOLDERS].join(", ");

/**
 * Problems of the release as a whole. `complete` says every document was read; only then can
 * the absence of something (a Deployment, the identity placeholder) be told.
 */
export function checkRelease(file: string, documents: readonly LocatedDocument[], complete: boolean): string[] {
  const problems = [...documents.flatMap((d) => placeholderProblems(file, d)), ...duplicateProblems(file, documents)];
  if (!complete) return problems;
  const bodies = documents.map((d) => d.document);
  if (!bodies.some(isDeployment)) {
    problems.push(located(file, undefined, "holds no apps/v1 Deployment; the release's operator.yaml defines the operator-deployment Deployment"));
  }
  if (!bodies.some(isLoadBalancerService)) {
    problems.push(located(file, undefined, "holds no v1 Service of type LoadBalancer; the health check needs the operator's public address"));
  }
  if (!bodies.some((d) => [...stringsOf(d.body)].some((s) => !s.isKey && placeholdersIn(s.text).includes(SUBSTITUTED_PLACEHOLDERS.identityResourceId)))) {
    problems.push(
      located(
        file,
        undefined,
        `has no ${SUBSTITUTED_PLACEHOLDERS.identityResourceId}; without it the pods run without the managed identity and cannot read the operator key from the Key Vault (was the file already edited by hand? use the release's operator.yaml as unzipped)`,
      ),
    );
  }
  return problems;
}

export function isDeployment(document: ManifestDocument): boolean {
  return document.apiVersion === "apps/v1" && document.kind === "Deployment";
}

export function isLoadBalancerService(document: ManifestDocument): boolean {
  const spec = document.body.spec;
  return document.apiVersion === "v1" && document.kind === "Service" && isJsonObject(spec) && spec.type === "LoadBalancer";
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

/** Two documents with the same kind and name would be one object applied twice. */
function duplicateProblems(file: string, documents: readonly LocatedDocument[]): string[] {
  const seen = new Map<string, ManifestDocument>();
  const problems: string[] = [];
  for (const { document } of documents) {
    const key = `${document.kind}/${document.name}`;
    const first = seen.get(key);
    if (first) problems.push(located(file, document.line, `${document.kind} ${document.name} is defined twice (documents ${first.index} and ${document.index})`));
    else seen.set(key, document);
  }
  return problems;
}
