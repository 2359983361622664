/** Reading, checking and preparing the UID2 release's operator.yaml. */
export { readReleaseManifest, releaseManifestProblems } from "./read";
export { ManifestError } from "./errors";
export { isDeployment, isLoadBalancerService } from "./checks";
export { withNamespace, isNamespacedKind } from "./namespace";
export {
  escapeTerraformTemplate,
  isUnreleasedTemplate,
  substitutePlaceholders,
  templatePlaceholderUses,
  SUBSTITUTED_PLACEHOLDERS,
  TEMPLATE_PLACEHOLDERS,
  type PlaceholderValues,
  type TemplatePlaceholderUse,
} from "./placeholders";
export { formatPath } from "./walk";
export type { JsonObject, JsonValue, ManifestDocument, ReleaseManifest } from "./types";
