import type { IConstruct } from "constructs";
import { type IAspect, TerraformResource } from "cdktf";
import { escapeTerraformTemplate } from "../lib/terraform-template";

/** The tag name that marks resources this app manages. */
export const MANAGED_BY_TAG = "managed-by";
export const MANAGED_BY_VALUE = "uid2-operator-aks";

/**
 * Tags of every taggable resource of a deployment: the configured ones plus the three fixed ones.
 * Configured names and values are free text, so they are escaped for Terraform's templates: a
 * tag `${file("/etc/passwd")}` is set as written, never evaluated.
 */
export function standardTags(deployment: string, environment: string, extra: Readonly<Record<string, string>>): Record<string, string> {
  const configured = Object.entries(extra).map(([name, value]) => [escapeTerraformTemplate(name), escapeTerraformTemplate(value)]);
  return { ...Object.fromEntries(configured), environment, deployment, [MANAGED_BY_TAG]: MANAGED_BY_VALUE };
}

interface Taggable {
  tags: Record<string, string>;
  readonly tagsInput?: Record<string, string>;
}

function isTaggable(node: IConstruct): node is TerraformResource & Taggable {
  return node instanceof TerraformResource && "tagsInput" in node;
}

/**
 * Tags every resource that takes tags, so no resource added later can be forgotten. Tags a
 * resource sets itself win over these.
 */
export class StandardTags implements IAspect {
  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  visit(node: IConstruct): void {
    if (isTaggable(node)) {
      node.tags = { ...this.tags, ...(node.tagsInput ?? {}) };
    }
  }
}
