/**
 * State backends: which keys each type needs and allows, checked once layers are merged
 * (a deployment may take `organization` from `defaults` and add its own `workspacePrefix`).
 */
import type { DeploymentReporter } from "../problems";
import type { Settings } from "../schema";
import type { BackendSettings } from "../types";

type RawBackend = NonNullable<Settings["backend"]>;

const ALLOWED: Record<BackendSettings["type"], { required: string[]; optional: string[] }> = {
  local: { required: [], optional: [] },
  cloud: { required: ["organization"], optional: ["workspacePrefix", "hostname", "project", "executionMode"] },
  azurerm: { required: ["resourceGroupName", "storageAccountName", "containerName"], optional: ["subscriptionId"] },
};

const FORMATS: Partial<Record<keyof RawBackend, { pattern: RegExp; allowed: string }>> = {
  organization: { pattern: /^[A-Za-z0-9_-]{3,40}$/, allowed: "must be 3-40 letters, digits, hyphens and underscores (a Terraform Cloud organization name)" },
  workspacePrefix: { pattern: /^[A-Za-z0-9_-]{0,60}$/, allowed: "must be at most 60 letters, digits, hyphens and underscores (workspace names allow no other characters)" },
  hostname: { pattern: /^[A-Za-z0-9.-]+(:\d+)?$/, allowed: "must be a host name such as app.terraform.io, without scheme or path" },
  storageAccountName: { pattern: /^[a-z0-9]{3,24}$/, allowed: "must be 3-24 lowercase letters and digits (an Azure storage account name)" },
  containerName: { pattern: /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, allowed: "must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit" },
  resourceGroupName: { pattern: /^[A-Za-z0-9_.()-]*[A-Za-z0-9_()-]$/, allowed: "must be an Azure resource group name" },
  subscriptionId: { pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, allowed: "must be a subscription GUID" },
};

/** Returns the typed backend, or undefined after reporting what is wrong. */
export function resolveBackend(raw: RawBackend, report: DeploymentReporter): BackendSettings | undefined {
  const type = raw.type ?? "local";
  const { required, optional } = ALLOWED[type];
  let ok = true;
  for (const key of required) {
    if (raw[key as keyof RawBackend] === undefined) {
      report.error(`backend.${key}`, undefined, `is required with backend.type "${type}"`);
      ok = false;
    }
  }
  for (const [key, value] of Object.entries(raw) as [keyof RawBackend, string][]) {
    if (key === "type") continue;
    if (!required.includes(key) && !optional.includes(key)) {
      const allowedKeys = [...required, ...optional];
      report.error(`backend.${key}`, value, `is not a setting of backend.type "${type}" (allowed: ${allowedKeys.length ? allowedKeys.join(", ") : "none"})`);
      ok = false;
    } else if (FORMATS[key] && !FORMATS[key].pattern.test(value)) {
      report.error(`backend.${key}`, value, FORMATS[key].allowed);
      ok = false;
    }
  }
  if (!ok) return undefined;
  switch (type) {
    case "local":
      return { type };
    case "cloud":
      return {
        type,
        organization: raw.organization!,
        workspacePrefix: raw.workspacePrefix ?? "",
        hostname: raw.hostname ?? "app.terraform.io",
        executionMode: raw.executionMode ?? "remote",
        ...(raw.project !== undefined ? { project: raw.project } : {}),
      };
    case "azurerm":
      return {
        type,
        resourceGroupName: raw.resourceGroupName!,
        storageAccountName: raw.storageAccountName!,
        containerName: raw.containerName!,
        ...(raw.subscriptionId !== undefined ? { subscriptionId: raw.subscriptionId } : {}),
      };
  }
}
