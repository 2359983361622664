/**
 * Which arguments make a provider destroy and recreate a resource when they change ("forces a
 * new resource"), for every resource type this app synthesizes. Data, checked entry by entry
 * against the provider versions the app pins (package.json): azurerm 4.55.0
 * (@cdktf/provider-azurerm 14.23.1), helm 3.1.1, kubernetes 2.38.0, tfe 0.71.0
 * (@cdktf/provider-tfe 12.5.1), and Terraform's built-in terraform_data. Each entry names its source; "docs" is the provider's page for the type,
 * `website/docs/r/<type without azurerm_>.html.markdown` at tag v4.55.0 of
 * hashicorp/terraform-provider-azurerm, whose argument list says "Changing this forces a new
 * resource to be created".
 *
 * Paths are dotted argument paths as they appear in the synthesized JSON (list indices left
 * out); a change at or below a listed path forces replacement. Each list holds the type's
 * documented top-level forcing arguments, and nested ones only of the blocks the stacks write.
 */

export interface ReplacementRule {
  /** Argument paths whose change replaces the resource. */
  readonly arguments: readonly string[];
  /** Where the list comes from. */
  readonly source: string;
}

const AZURERM_DOCS = "azurerm v4.55.0 docs";

export const REPLACEMENT_RULES: Readonly<Record<string, ReplacementRule>> = {
  // docs r/resource_group: location, name.
  azurerm_resource_group: { arguments: ["name", "location"], source: `${AZURERM_DOCS}, resource_group` },
  // docs r/virtual_network: name, resource_group_name, location, edge_zone.
  azurerm_virtual_network: {
    arguments: ["name", "resource_group_name", "location", "edge_zone"],
    source: `${AZURERM_DOCS}, virtual_network`,
  },
  // docs r/subnet: name, resource_group_name, virtual_network_name (address prefixes,
  // delegation and service endpoints update in place).
  azurerm_subnet: { arguments: ["name", "resource_group_name", "virtual_network_name"], source: `${AZURERM_DOCS}, subnet` },
  // docs r/public_ip: name, resource_group_name, location, zones, edge_zone, ip_tags, ip_version,
  // public_ip_prefix_id, sku, sku_tier.
  azurerm_public_ip: {
    arguments: ["name", "resource_group_name", "location", "zones", "edge_zone", "ip_tags", "ip_version", "public_ip_prefix_id", "sku", "sku_tier"],
    source: `${AZURERM_DOCS}, public_ip`,
  },
  // docs r/nat_gateway: name, resource_group_name, location, zones (the idle timeout and, in
  // v4.55.0, sku_name update in place).
  azurerm_nat_gateway: { arguments: ["name", "resource_group_name", "location", "zones"], source: `${AZURERM_DOCS}, nat_gateway` },
  // docs r/nat_gateway_public_ip_association: both ids.
  azurerm_nat_gateway_public_ip_association: {
    arguments: ["nat_gateway_id", "public_ip_address_id"],
    source: `${AZURERM_DOCS}, nat_gateway_public_ip_association`,
  },
  // docs r/subnet_nat_gateway_association: both ids.
  azurerm_subnet_nat_gateway_association: {
    arguments: ["nat_gateway_id", "subnet_id"],
    source: `${AZURERM_DOCS}, subnet_nat_gateway_association`,
  },
  // docs r/kubernetes_cluster: name, location, resource_group_name, dns_prefix,
  // dns_prefix_private_cluster, disk_encryption_set_id, edge_zone, network_profile (the whole
  // block), node_resource_group, private_cluster_enabled, private_dns_zone_id,
  // role_based_access_control_enabled, kubelet_identity; in default_node_pool:
  // capacity_reservation_group_id, gpu_driver, gpu_instance, host_group_id,
  // node_public_ip_prefix_id, proximity_placement_group_id, type. The default pool's name: the
  // resource's CustomizeDiff (ForceNewIf "default_node_pool.0.name",
  // internal/services/containers/kubernetes_cluster_resource.go at v4.55.0). The pool's vm_size,
  // os_sku, vnet_subnet_id and the like cycle it through temporary_name_for_rotation instead,
  // and kubernetes_version, node counts and the upgrade channel update in place.
  azurerm_kubernetes_cluster: {
    arguments: [
      "name",
      "location",
      "resource_group_name",
      "dns_prefix",
      "dns_prefix_private_cluster",
      "disk_encryption_set_id",
      "edge_zone",
      "network_profile",
      "node_resource_group",
      "private_cluster_enabled",
      "private_dns_zone_id",
      "role_based_access_control_enabled",
      "kubelet_identity",
      "default_node_pool.name",
      "default_node_pool.capacity_reservation_group_id",
      "default_node_pool.gpu_driver",
      "default_node_pool.gpu_instance",
      "default_node_pool.host_group_id",
      "default_node_pool.node_public_ip_prefix_id",
      "default_node_pool.proximity_placement_group_id",
      "default_node_pool.type",
    ],
    source: `${AZURERM_DOCS}, kubernetes_cluster; default_node_pool.name from the resource's CustomizeDiff`,
  },
  // docs r/role_assignment: name, scope, role_definition_id, role_definition_name, principal_id,
  // principal_type, condition, condition_version, delegated_managed_identity_resource_id,
  // description (skip_service_principal_aad_check does not).
  azurerm_role_assignment: {
    arguments: [
      "name",
      "scope",
      "role_definition_id",
      "role_definition_name",
      "principal_id",
      "principal_type",
      "condition",
      "condition_version",
      "delegated_managed_identity_resource_id",
      "description",
    ],
    source: `${AZURERM_DOCS}, role_assignment`,
  },
  // docs r/role_definition: role_definition_id, scope (name, permissions and assignable scopes
  // update in place).
  azurerm_role_definition: { arguments: ["role_definition_id", "scope"], source: `${AZURERM_DOCS}, role_definition` },
  // docs r/key_vault: name, location, resource_group_name ("If the vault is in a recoverable
  // state then the vault will need to be purged before reusing the name").
  azurerm_key_vault: { arguments: ["name", "location", "resource_group_name"], source: `${AZURERM_DOCS}, key_vault` },
  // docs r/key_vault_secret: name, key_vault_id (value_wo_version writes a new version in place).
  azurerm_key_vault_secret: { arguments: ["name", "key_vault_id"], source: `${AZURERM_DOCS}, key_vault_secret` },
  // docs r/user_assigned_identity: location, name, resource_group_name.
  azurerm_user_assigned_identity: {
    arguments: ["name", "location", "resource_group_name"],
    source: `${AZURERM_DOCS}, user_assigned_identity`,
  },
  // docs r/monitor_workspace: name, resource_group_name, location.
  azurerm_monitor_workspace: { arguments: ["name", "resource_group_name", "location"], source: `${AZURERM_DOCS}, monitor_workspace` },
  // docs r/monitor_data_collection_endpoint: location, name, resource_group_name.
  azurerm_monitor_data_collection_endpoint: {
    arguments: ["name", "resource_group_name", "location"],
    source: `${AZURERM_DOCS}, monitor_data_collection_endpoint`,
  },
  // docs r/monitor_data_collection_rule: location, name, resource_group_name; and kind, once set
  // ("changing it forces a new Data Collection Rule to be created").
  azurerm_monitor_data_collection_rule: {
    arguments: ["name", "resource_group_name", "location", "kind"],
    source: `${AZURERM_DOCS}, monitor_data_collection_rule`,
  },
  // docs r/monitor_data_collection_rule_association: target_resource_id, name.
  azurerm_monitor_data_collection_rule_association: {
    arguments: ["name", "target_resource_id"],
    source: `${AZURERM_DOCS}, monitor_data_collection_rule_association`,
  },
  // docs r/monitor_alert_prometheus_rule_group: name, location, resource_group_name (rules update in place).
  azurerm_monitor_alert_prometheus_rule_group: {
    arguments: ["name", "resource_group_name", "location"],
    source: `${AZURERM_DOCS}, monitor_alert_prometheus_rule_group`,
  },
  // docs r/monitor_action_group: name, resource_group_name, location (receivers update in place).
  azurerm_monitor_action_group: { arguments: ["name", "resource_group_name", "location"], source: `${AZURERM_DOCS}, monitor_action_group` },
  // docs r/monitor_metric_alert: name, resource_group_name.
  azurerm_monitor_metric_alert: { arguments: ["name", "resource_group_name"], source: `${AZURERM_DOCS}, monitor_metric_alert` },
  // docs r/log_analytics_workspace: name, resource_group_name, location; and sku, except between
  // PerGB2018 and CapacityReservation.
  azurerm_log_analytics_workspace: {
    arguments: ["name", "resource_group_name", "location", "sku"],
    source: `${AZURERM_DOCS}, log_analytics_workspace`,
  },
  // docs r/application_insights: name, resource_group_name, location, application_type.
  azurerm_application_insights: {
    arguments: ["name", "resource_group_name", "location", "application_type"],
    source: `${AZURERM_DOCS}, application_insights`,
  },
  // docs r/application_insights_standard_web_test: name, resource_group_name, location, application_insights_id.
  azurerm_application_insights_standard_web_test: {
    arguments: ["name", "resource_group_name", "location", "application_insights_id"],
    source: `${AZURERM_DOCS}, application_insights_standard_web_test`,
  },
  // docs r/federated_identity_credential: name, resource_group_name, parent_id.
  azurerm_federated_identity_credential: {
    arguments: ["name", "resource_group_name", "parent_id"],
    source: `${AZURERM_DOCS}, federated_identity_credential`,
  },
  // tfe 0.71.0, internal/provider/resource_tfe_project.go: organization (RequiresReplace).
  tfe_project: { arguments: ["organization"], source: "tfe v0.71.0 resource_tfe_project.go (RequiresReplace)" },
  // tfe 0.71.0, resource_tfe_team.go: organization (ForceNew).
  tfe_team: { arguments: ["organization"], source: "tfe v0.71.0 resource_tfe_team.go (ForceNew)" },
  // tfe 0.71.0, resource_tfe_team_access.go: team_id, workspace_id (ForceNew).
  tfe_team_access: { arguments: ["team_id", "workspace_id"], source: "tfe v0.71.0 resource_tfe_team_access.go (ForceNew)" },
  // tfe 0.71.0, resource_tfe_team_token.go: team_id, force_regenerate, expired_at, description (RequiresReplace).
  tfe_team_token: { arguments: ["team_id", "force_regenerate", "expired_at", "description"], source: "tfe v0.71.0 resource_tfe_team_token.go (RequiresReplace)" },
  // tfe 0.71.0, resource_tfe_variable.go: category, workspace_id, variable_set_id (RequiresReplace);
  // key only for a sensitive variable, and sensitive only from true to false (RequiresReplaceIf).
  tfe_variable: { arguments: ["category", "workspace_id", "variable_set_id", "key"], source: "tfe v0.71.0 resource_tfe_variable.go (RequiresReplace; key when sensitive)" },
  // tfe 0.71.0, resource_tfe_workspace.go: organization (ForceNew); the name updates in place.
  tfe_workspace: { arguments: ["organization"], source: "tfe v0.71.0 resource_tfe_workspace.go (ForceNew)" },
  // tfe 0.71.0, resource_tfe_workspace_settings.go: workspace_id (RequiresReplace).
  tfe_workspace_settings: { arguments: ["workspace_id"], source: "tfe v0.71.0 resource_tfe_workspace_settings.go (RequiresReplace)" },
  // helm 3.1.1, helm/resource_helm_release.go: `name` and `namespace` carry RequiresReplace; a new
  // chart, version or values upgrade the release in place.
  helm_release: { arguments: ["name", "namespace"], source: "helm v3.1.1 resource_helm_release.go (RequiresReplace)" },
  // kubernetes 2.38.0, manifest/provider/plan.go: apiVersion, kind, metadata.name and
  // metadata.namespace of the manifest are RequiresReplace; everything else is a server-side apply.
  kubernetes_manifest: {
    arguments: ["manifest.apiVersion", "manifest.kind", "manifest.metadata.name", "manifest.metadata.namespace"],
    source: "kubernetes v2.38.0 manifest/provider/plan.go (RequiresReplace)",
  },
  // kubernetes 2.38.0 docs/resources/config_map_v1.md: metadata.name "Cannot be updated", and the
  // namespace; the data updates in place.
  kubernetes_config_map_v1: { arguments: ["metadata.name", "metadata.namespace"], source: "kubernetes v2.38.0 docs, config_map_v1" },
  // kubernetes 2.38.0 docs/resources/namespace_v1.md: metadata.name "Cannot be updated".
  kubernetes_namespace_v1: { arguments: ["metadata.name"], source: "kubernetes v2.38.0 docs, namespace_v1" },
  // Terraform's terraform_data: "triggers_replace ... Terraform replaces the resource when the
  // value changes" (developer.hashicorp.com/terraform/language/resources/terraform-data).
  terraform_data: { arguments: ["triggers_replace"], source: "Terraform docs, terraform_data" },
};

/** The rule's arguments that a change at `path` (dotted, no indices) hits; empty if none. */
export function forcingArguments(rule: ReplacementRule, path: string): string[] {
  return rule.arguments.filter((argument) => path === argument || path.startsWith(`${argument}.`));
}
