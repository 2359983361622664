import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";

/** Tags the stacks always set; posture checks rely on them, so configuration cannot change them. */
export const RESERVED_TAGS = ["environment", "deployment", "managed-by"] as const;

/** Azure: at most 50 tags, names up to 512 characters without < > % & \ ? /, values up to 256. */
const MAX_TAGS = 50;
const TAG_NAME = /^[^<>%&\\?/]{1,512}$/;
const TAG_VALUE_MAX = 256;

export function checkTags(d: DeploymentConfig, report: DeploymentReporter): void {
  for (const [name, value] of Object.entries(d.tags)) {
    const path = `tags.${name}`;
    if ((RESERVED_TAGS as readonly string[]).includes(name)) {
      report.error(path, value, `cannot be set: ${RESERVED_TAGS.join(", ")} are set by the app from the deployment`);
    } else if (!TAG_NAME.test(name)) {
      report.error(path, value, "has an invalid tag name: 1-512 characters, none of < > % & \\ ? /");
    } else if (value.length > TAG_VALUE_MAX) {
      report.error(path, value, `is too long: tag values are at most ${TAG_VALUE_MAX} characters`);
    }
  }
  const count = Object.keys(d.tags).length + RESERVED_TAGS.length;
  if (count > MAX_TAGS) {
    report.error("tags", Object.keys(d.tags), `gives ${count} tags with the ${RESERVED_TAGS.length} built-in ones; Azure allows at most ${MAX_TAGS}`);
  }
}
