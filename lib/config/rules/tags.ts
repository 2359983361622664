import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";

/** Tags the stacks always set; posture checks rely on them, so configuration cannot change them. */
export const RESERVED_TAGS = ["environment", "deployment", "managed-by"] as const;

/**
 * Azure tags (learn.microsoft.com, "Use tags to organize your Azure resources", Limitations): at
 * most 50, names up to 512 characters without < > % & \ ? /, compared case-insensitively, and
 * names starting with microsoft, azure or windows reserved for Azure; values up to 256.
 */
const MAX_TAGS = 50;
const TAG_NAME = /^[^<>%&\\?/]{1,512}$/;
const TAG_VALUE_MAX = 256;
const AZURE_RESERVED_PREFIXES = ["microsoft", "azure", "windows"] as const;

export function checkTags(d: DeploymentConfig, report: DeploymentReporter): void {
  const firstByLowerName = new Map<string, string>();
  for (const [name, value] of Object.entries(d.tags)) {
    const path = `tags.${name}`;
    const lower = name.toLowerCase();
    const same = firstByLowerName.get(lower);
    if ((RESERVED_TAGS as readonly string[]).includes(lower)) {
      report.error(path, value, `cannot be set: ${RESERVED_TAGS.join(", ")} are set by the app from the deployment (Azure tag names are case-insensitive)`);
    } else if (AZURE_RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
      report.error(path, value, `is a reserved tag name: Azure keeps names starting with ${AZURE_RESERVED_PREFIXES.join(", ")} (in any case) for itself`);
    } else if (!TAG_NAME.test(name)) {
      report.error(path, value, "has an invalid tag name: 1-512 characters, none of < > % & \\ ? /");
    } else if (same !== undefined) {
      report.error(path, value, `is the same tag as tags.${same}: Azure tag names are case-insensitive, so one value would replace the other`);
    } else if (value.length > TAG_VALUE_MAX) {
      report.error(path, value, `is too long: tag values are at most ${TAG_VALUE_MAX} characters`);
    }
    if (same === undefined) firstByLowerName.set(lower, name);
  }
  const count = Object.keys(d.tags).length + RESERVED_TAGS.length;
  if (count > MAX_TAGS) {
    report.error("tags", Object.keys(d.tags), `gives ${count} tags with the ${RESERVED_TAGS.length} built-in ones; Azure allows at most ${MAX_TAGS}`);
  }
}
