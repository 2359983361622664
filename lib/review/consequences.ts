/**
 * What a replacement, a destruction or a write-only version bump costs, in the words a reviewer
 * needs: which Azure object goes, and what must happen again afterwards.
 */
import type { StackReview } from "./findings";
import { isJsonObject, type JsonObject, type JsonValue, type PathSegment } from "../manifest/types";
import { valueAt } from "./json-diff";
import { referencesIn } from "./references";
import type { Item } from "./terraform-items";

/** Azure's soft-delete retention when a vault does not set one. */
const DEFAULT_RETENTION_DAYS = 90;

/** A plain (not referenced) string value, for naming the Azure object. */
function literal(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" && !value.includes("${") ? value : undefined;
}

/** How to name the item: its Azure or Kubernetes name where the JSON spells it, else its address. */
export function displayName(item: Item): string {
  if (item.type === "kubernetes_manifest") {
    const kind = literal(valueAt(item.body, ["manifest", "kind"]));
    const name = literal(valueAt(item.body, ["manifest", "metadata", "name"]));
    return kind && name ? `${kind} ${name}` : item.address;
  }
  return literal(item.body.name) ?? item.address;
}

/** `TF_VAR_<name>` for each variable the item's write-only arguments read. */
export function writeOnlyVariables(body: JsonObject): string[] {
  return Object.entries(body)
    .filter(([key]) => key.endsWith("_wo"))
    .flatMap(([, value]) => referencesIn(value))
    .flatMap(({ reference }) => (reference.kind === "variable" ? [`TF_VAR_${reference.name}`] : []));
}

function keyVaultRetention(vault: JsonObject): string {
  const days = typeof vault.soft_delete_retention_days === "number" ? vault.soft_delete_retention_days : DEFAULT_RETENTION_DAYS;
  return vault.purge_protection_enabled === true
    ? `purge protection keeps the old name reserved for ${days} days`
    : `soft delete keeps the old vault, and its name, for ${days} days unless purged`;
}

/**
 * The warning for an item Terraform destroys and creates again. `before` is the item as
 * deployed (the base side); `because` says which argument or referenced object forces it.
 */
export function replacementWarning(before: Item, because: string): string {
  const name = `\`${displayName(before)}\``;
  const what = ((): string => {
    switch (before.type) {
      case "azurerm_key_vault":
        return `replaces the Key Vault ${name}: the operator key must be written again; ${keyVaultRetention(before.body)}`;
      case "azurerm_key_vault_secret": {
        const from = writeOnlyVariables(before.body);
        return `replaces the secret ${name}: the operator key is written again${from.length > 0 ? ` from ${from.join(", ")}` : ""}`;
      }
      case "azurerm_kubernetes_cluster":
        return `replaces the AKS cluster ${name}: it is destroyed with everything running on it (virtual nodes, operator pods) and created again; the operator's public IP changes`;
      case "azurerm_resource_group":
        return `replaces the resource group ${name}: every resource in it is destroyed and created again`;
      case "azurerm_public_ip":
        return `replaces the public IP ${name}: the operator's outbound address changes; update allow-lists that name it`;
      case "azurerm_nat_gateway":
        return `replaces the NAT gateway ${name}: the operator's outbound traffic stops until the new gateway is associated`;
      case "azurerm_virtual_network":
      case "azurerm_subnet":
        return `replaces the ${before.type === "azurerm_subnet" ? "subnet" : "virtual network"} ${name}: what is attached to it (cluster nodes, container groups) must be recreated`;
      case "azurerm_user_assigned_identity":
        return `replaces the managed identity ${name}: its client and principal ids change, its role assignments are recreated and the pods using it restart`;
      case "azurerm_role_assignment":
        return `recreates the role assignment \`${before.address}\`: the access it grants is missing for a moment`;
      case "azurerm_role_definition":
        return `replaces the custom role ${name}: its assignments are recreated`;
      case "helm_release":
        return `reinstalls the Helm release ${name}: uninstalled, then installed again`;
      case "kubernetes_manifest":
        return `replaces the ${displayName(before)}: it is deleted and created again (no rolling update)`;
      case "terraform_data":
        return `creates \`${before.address}\` again: its provisioners run again`;
      default:
        return `replaces ${name}`;
    }
  })();
  return `${what} (${because})`;
}

/** True when the item's lifecycle has `prevent_destroy`: Terraform refuses any plan that destroys it. */
export function preventsDestroy(item: Item): boolean {
  const lifecycle = item.body.lifecycle;
  return isJsonObject(lifecycle) && lifecycle.prevent_destroy === true;
}

/** The warning for an item Terraform destroys; undefined when destroying it is unremarkable. */
export function destructionWarning(before: Item): string | undefined {
  if (preventsDestroy(before)) {
    return `destroys \`${displayName(before)}\`, which has prevent_destroy: Terraform refuses until that is turned off`;
  }
  if (before.type === "azurerm_key_vault") return `destroys the Key Vault \`${displayName(before)}\`: ${keyVaultRetention(before.body).replace("the old name", "its name")}`;
  return undefined;
}

/** `major.minor` of a Kubernetes version such as `1.36` or `1.36.2`. */
function minorVersion(value: JsonValue | undefined): [number, number] | undefined {
  const match = typeof value === "string" ? /^(\d+)\.(\d+)(\.\d+)?$/.exec(value) : null;
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * The warning for a cluster's kubernetes_version change that AKS refuses: a cluster in standard
 * support upgrades one minor version at a time, and none downgrades
 * (learn.microsoft.com/azure/aks/upgrade-aks-cluster, "Kubernetes version upgrades"; since
 * 2026-07 a cluster on LTS, or already out of support, may skip minors).
 */
export function kubernetesUpgradeWarning(item: Item, from: JsonValue | undefined, to: JsonValue | undefined): string | undefined {
  const old = minorVersion(from);
  const now = minorVersion(to);
  if (item.type !== "azurerm_kubernetes_cluster" || !old || !now || old[0] !== now[0]) return undefined;
  const name = `\`${displayName(item)}\``;
  const [major, fromMinor] = old;
  const toMinor = now[1];
  if (toMinor < fromMinor) return `downgrades the AKS cluster ${name} from ${major}.${fromMinor} to ${major}.${toMinor}: AKS does not downgrade a minor version`;
  if (toMinor - fromMinor < 2) return undefined;
  const steps = Array.from({ length: toMinor - fromMinor }, (_, i) => `${major}.${fromMinor + i + 1}`);
  return `upgrades the AKS cluster ${name} from ${major}.${fromMinor} to ${major}.${toMinor} in one step: AKS upgrades a cluster in standard support one minor version at a time (only LTS or already unsupported clusters may skip), so deploy ${steps.join(", then ")} in turn`;
}

/** Meta-arguments that steer Terraform's plan but are not stored with the resource. */
const PLAN_ONLY_ARGUMENTS = new Set(["lifecycle", "depends_on", "provisioner", "connection"]);

/** The note for a change of meta-arguments only: the resource itself does not change. */
export function planOnlyNote(paths: readonly (readonly PathSegment[])[]): string | undefined {
  if (paths.length === 0 || !paths.every((path) => PLAN_ONLY_ARGUMENTS.has(String(path[0])))) return undefined;
  return `only ${[...new Set(paths.map((path) => String(path[0])))].join(", ")} ${paths.length === 1 ? "changes" : "change"}: Terraform's plan, not the resource`;
}

/** The warning for a stack whose backend (terraform.backend or terraform.cloud) changes. */
export function stateLocationWarning(stack: string, paths: readonly (readonly PathSegment[])[]): string | undefined {
  const moves = paths.some((path) => path[0] === "terraform" && (path[1] === "backend" || path[1] === "cloud"));
  if (!moves) return undefined;
  return `changes where \`${stack}\` keeps its state: terraform init refuses until the state is moved; run \`terraform init -migrate-state\` in cdktf.out/stacks/${stack} (with the old state still reachable) before deploying`;
}

/** What an in-place change of a write-only version does: `value_wo_version` 1 → 2 writes the value again. */
export function writeOnlyVersionNote(after: Item, attribute: string, from: JsonValue | undefined, to: JsonValue | undefined): string | undefined {
  if (!attribute.endsWith("_wo_version")) return undefined;
  const variables = writeOnlyVariables(after.body);
  const source = variables.length > 0 ? `: set ${variables.join(", ")} to the new value before deploying` : "";
  const versions = `${attribute} ${JSON.stringify(from)} → ${JSON.stringify(to)}`;
  if (after.type === "azurerm_key_vault_secret") {
    // README, "Rotate the operator key": running pods keep the version they read at start.
    return `writes a new operator key version (${versions})${source}; then restart the operator pods so they read it`;
  }
  return `writes \`${attribute.replace(/_version$/, "")}\` again (${versions})${source}`;
}

/**
 * Why a deployment cannot take its change in place, or undefined: the change replaces the resource
 * group that holds the other stacks' resources (a new `location` does, so does a new name). The
 * network stack would go first and try to delete the old group, which azurerm refuses while it
 * holds resources (`prevent_deletion_if_contains_resources`); the other stacks' resources would
 * have to move with it anyway. So it is torn down and deployed anew.
 */
export function teardownReason(stacks: readonly StackReview[]): string | undefined {
  const replaced = (type: string) => stacks.flatMap((stack) => stack.items.filter((item) => item.type === type && item.status === "replaced").map((item) => ({ stack, item })));
  const [found] = replaced("azurerm_resource_group");
  if (!found) return undefined;
  const { stack: holder, item: group } = found;
  const others = stacks.filter((stack) => stack !== holder && stack.status !== "added" && stack.status !== "removed").map((stack) => `\`${stack.name}\``);
  if (others.length === 0) return undefined;
  const why = (group.forcedBy.length > 0 ? group.forcedBy : group.changes.map((change) => change.path)).map((path) => `\`${path}\``).join(", ");
  const vault = replaced("azurerm_key_vault")[0]?.item;
  const keepsVaultName = vault !== undefined && !vault.changes.some((change) => change.path === "name");
  return [
    `this change replaces the resource group of \`${holder.name}\` (${why} changes), which holds the resources of ${others.join(", ")}.`,
    "Deployed in place, the network stack would go first and Azure would refuse to delete the old group while it holds them (azurerm's `prevent_deletion_if_contains_resources`).",
    "Tear the deployment down from a checkout of the base, then deploy it anew from this revision.",
    ...(keepsVaultName
      ? ["The new vault keeps the old one's name, which the deleted vault keeps reserved for `secrets.softDeleteRetentionDays` (purge protection forbids purging): set another `names.keyVault` (or `namePrefix`) for the new deployment, or wait that long."]
      : []),
  ].join(" ");
}
