/**
 * The release's placeholders ("Update Placeholder Values"), and how the four the deployment
 * fills in are substituted without touching anything else.
 *
 * facts.md ("The release's operator.yaml"): the confidential-computing policy is computed from
 * the exact pod spec; only these four values may change. They are found by value, wherever a
 * string holds them, exactly as the guide's `sed` commands do, never by a path into the spec.
 */
import { escapeTerraformTemplate } from "../terraform-template";
import { stringsOf } from "./walk";
import type { JsonObject, JsonValue, ManifestDocument, ReleaseManifest } from "./types";

/** The placeholders a deployment fills in, by the value that replaces each. */
export const SUBSTITUTED_PLACEHOLDERS = {
  identityResourceId: "IDENTITY_PLACEHOLDER",
  keyVaultName: "VAULT_NAME_PLACEHOLDER",
  operatorKeySecretName: "OPERATOR_KEY_SECRET_NAME_PLACEHOLDER",
  deploymentEnvironment: "DEPLOYMENT_ENVIRONMENT_PLACEHOLDER",
} as const;

/** Left in a template that is not a release (facts.md): the image and the policy are UID2's to fill. */
export const TEMPLATE_PLACEHOLDERS = ["IMAGE_PLACEHOLDER", "CCE_POLICY_PLACEHOLDER"] as const;

/** The values that replace the substituted placeholders; cdktf token strings are fine. */
export type PlaceholderValues = { readonly [K in keyof typeof SUBSTITUTED_PLACEHOLDERS]: string };

/** Any placeholder-shaped token; whole tokens only, so `FOO_IDENTITY_PLACEHOLDER` is not `IDENTITY_PLACEHOLDER`. */
const PLACEHOLDER = /[A-Z0-9_]+_PLACEHOLDER/g;

const SUBSTITUTED = new Set<string>(Object.values(SUBSTITUTED_PLACEHOLDERS));
const KNOWN = new Set<string>([...SUBSTITUTED, ...TEMPLATE_PLACEHOLDERS]);

export function placeholdersIn(text: string): string[] {
  return text.match(PLACEHOLDER) ?? [];
}

export function isKnownPlaceholder(token: string): boolean {
  return KNOWN.has(token);
}

export function isSubstitutedPlaceholder(token: string): boolean {
  return SUBSTITUTED.has(token);
}

/**
 * The document as Terraform must be given it: the four placeholders replaced by `values` in
 * every string value where they occur (whole or part of the string), every other character from
 * the release escaped for Terraform's templates (escapeTerraformTemplate), and nothing added,
 * removed, reordered or retyped. The substituted values are inserted as they are, unescaped, so
 * that cdktf tokens among them still resolve.
 */
export function substitutePlaceholders(document: JsonObject, values: PlaceholderValues): JsonObject {
  const replacement = new Map<string, string>(
    (Object.keys(SUBSTITUTED_PLACEHOLDERS) as (keyof PlaceholderValues)[]).map((name) => [SUBSTITUTED_PLACEHOLDERS[name], values[name]]),
  );
  return substituteIn(document, replacement) as JsonObject;
}

function substituteIn(value: JsonValue, replacement: ReadonlyMap<string, string>): JsonValue {
  if (typeof value === "string") return substituteString(value, replacement);
  if (Array.isArray(value)) return value.map((item) => substituteIn(item, replacement));
  if (typeof value === "object" && value !== null) {
    const result: Record<string, JsonValue> = {};
    for (const [key, child] of Object.entries(value)) {
      defineEntry(result, escapeTerraformTemplate(key), substituteIn(child, replacement));
    }
    return result;
  }
  return value;
}

function substituteString(text: string, replacement: ReadonlyMap<string, string>): string {
  let result = "";
  let from = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const value = replacement.get(match[0]);
    if (value === undefined) continue;
    result += escapeTerraformTemplate(text.slice(from, match.index)) + value;
    from = match.index + match[0].length;
  }
  return result + escapeTerraformTemplate(text.slice(from));
}

/** Sets a key even when it is `__proto__`, which plain assignment would swallow. */
function defineEntry(target: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Where a template placeholder remains: `Deployment operator-deployment spec.template.spec.containers[1].image`. */
export interface TemplatePlaceholderUse {
  readonly placeholder: string;
  readonly document: ManifestDocument;
  readonly path: readonly (string | number)[];
}

const usesByManifest = new WeakMap<ReleaseManifest, readonly TemplatePlaceholderUse[]>();

/**
 * Every string value still holding IMAGE_PLACEHOLDER or CCE_POLICY_PLACEHOLDER; found once per
 * manifest, which validation and every deployment's operator stack share.
 */
export function templatePlaceholderUses(manifest: ReleaseManifest): readonly TemplatePlaceholderUse[] {
  let uses = usesByManifest.get(manifest);
  if (uses === undefined) {
    uses = findTemplatePlaceholderUses(manifest);
    usesByManifest.set(manifest, uses);
  }
  return uses;
}

function findTemplatePlaceholderUses(manifest: ReleaseManifest): TemplatePlaceholderUse[] {
  const uses: TemplatePlaceholderUse[] = [];
  for (const document of manifest.documents) {
    for (const { path, text } of stringsOf(document.body)) {
      for (const token of placeholdersIn(text)) {
        if ((TEMPLATE_PLACEHOLDERS as readonly string[]).includes(token)) uses.push({ placeholder: token, document, path });
      }
    }
  }
  return uses;
}

/**
 * The template placeholders the manifest still holds, in TEMPLATE_PLACEHOLDERS' order: none for
 * a release; the image's or the policy's for a template that is not one.
 */
export function remainingTemplatePlaceholders(manifest: ReleaseManifest): string[] {
  const remaining = new Set(templatePlaceholderUses(manifest).map((use) => use.placeholder));
  return TEMPLATE_PLACEHOLDERS.filter((placeholder) => remaining.has(placeholder));
}
