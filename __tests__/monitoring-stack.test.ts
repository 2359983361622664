/**
 * The monitoring stack: managed Prometheus wired to the cluster, the scrape jobs, the alert rules
 * (every PromQL expression parsed by the Prometheus project's own parser), who they notify, the
 * availability test by exposure, and no stack at all with monitoring disabled.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { parser } from "@prometheus-io/lezer-promql";
import { TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import { ApplicationInsightsStandardWebTest } from "@cdktf/provider-azurerm/lib/application-insights-standard-web-test";
import { MonitorDataCollectionRule } from "@cdktf/provider-azurerm/lib/monitor-data-collection-rule";
import { MonitorMetricAlert } from "@cdktf/provider-azurerm/lib/monitor-metric-alert";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { resolveConfig } from "../lib/config/load";
import { PROJECT_ROOT } from "../lib/project-root";
import { operatorAlertRules } from "../lib/monitoring/alert-rules";
import { scrapeConfig } from "../lib/monitoring/scrape-config";
import { AVAILABILITY_TEST_LOCATIONS } from "../stacks/monitoring-stack";
import { deployment, entry, problemsOfDeployment, type Json } from "./support/config";
import { appWith, synthOf, type TerraformJson } from "./support/synth";

const EMAILS = { monitoring: { alertEmails: ["ops@example.com", "oncall@example.com"] } };
const GROUP_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/microsoft.insights/actionGroups/ag-oncall";

/** The stacks of one deployment, each synthesized when first read. */
function stacksOf(overrides: Json) {
  const app = appWith(deployment(overrides));
  return { get: (id: string) => synthOf(app, id), ids: () => app.node.children.filter(TerraformStack.isStack).map((stack) => stack.node.id) };
}
const resources = (json: TerraformJson, type: string): Record<string, any>[] => Object.values(json.resource?.[type] ?? {});

/** Syntax errors the Prometheus project's PromQL grammar finds in an expression, by position. */
function promqlErrors(expression: string): number[] {
  const errors: number[] = [];
  parser.parse(expression).iterate({ enter: (node) => void (node.type.isError && errors.push(node.from)) });
  return errors;
}

describe("monitoring stack, default exposure (public), with e-mail receivers", () => {
  // GIVEN the default deployment with two receivers WHEN it is synthesized
  const stacks = stacksOf(EMAILS);
  const monitoring = stacks.get("integ-monitoring");
  const cluster = stacks.get("integ-cluster");

  it("switches on the cluster's managed Prometheus add-on", () => {
    expect(cluster.text).toHaveResourceWithProperties({ tfResourceType: "azurerm_kubernetes_cluster" }, { monitor_metrics: {} });
  });

  it("sends the Prometheus stream to an Azure Monitor workspace, and associates rule and endpoint with the cluster", () => {
    expect(monitoring.text).toHaveResourceWithProperties(MonitorDataCollectionRule, {
      kind: "Linux",
      data_flow: [{ streams: ["Microsoft-PrometheusMetrics"], destinations: ["monitor-workspace"] }],
      data_sources: { prometheus_forwarder: [{ streams: ["Microsoft-PrometheusMetrics"], name: "prometheus" }] },
      destinations: { monitor_account: [{ monitor_account_id: "${azurerm_monitor_workspace.monitor-workspace.id}", name: "monitor-workspace" }] },
    });
    const associations = resources(monitoring.json, "azurerm_monitor_data_collection_rule_association");
    expect(associations.map((a) => a.name).sort()).toEqual(["configurationAccessEndpoint", "dcra-integ"]);
    for (const a of associations) expect(a.target_resource_id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-integ-cluster\.outputs\./);
  });

  it("scrapes the operator's prometheus port pod by pod, and the virtual node's container metrics, never the Service", () => {
    expect(monitoring.text).toHaveResourceWithProperties(ConfigMapV1, { metadata: { name: "ama-metrics-prometheus-config", namespace: "kube-system" } });
    const [configMap] = resources(monitoring.json, "kubernetes_config_map_v1");
    const config = parse(configMap.data["prometheus-config"]);
    expect(config).toEqual(parse(scrapeConfig({ operatorNamespace: "default", virtualNodeNamespace: "vn2" })));
    const [operatorJob, virtualNodeJob] = config.scrape_configs;
    expect(operatorJob.kubernetes_sd_configs).toEqual([{ role: "pod", namespaces: { names: ["default"] } }]);
    expect(operatorJob.relabel_configs).toContainEqual({ source_labels: ["__meta_kubernetes_pod_container_port_name"], action: "keep", regex: "prometheus" });
    expect(virtualNodeJob.relabel_configs).toContainEqual({ source_labels: ["__meta_kubernetes_pod_ip"], target_label: "__address__", replacement: "$1:50052" });
    expect(JSON.stringify(config)).not.toContain("operator-svc");
  });

  it("has every alert of docs/operations.md, each routed to the deployment's action group, with a severity and a description pointing at its section", () => {
    const [group] = resources(monitoring.json, "azurerm_monitor_action_group");
    expect(group.email_receiver.map((r: { email_address: string }) => r.email_address)).toEqual(["ops@example.com", "oncall@example.com"]);
    expect(group.short_name.length).toBeLessThanOrEqual(12);
    const [rules] = resources(monitoring.json, "azurerm_monitor_alert_prometheus_rule_group");
    const operations = readFileSync(path.join(PROJECT_ROOT, "docs", "operations.md"), "utf8");
    expect(rules.rule.map((r: { alert: string }) => r.alert)).toEqual(["OperatorUnavailable", "OperatorDegraded", "OperatorRestarting", "OperatorMetricsDown", "OperatorStoreRefreshFailing", "OperatorSaltsStale", "VirtualNodeNotReady"]);
    for (const rule of rules.rule) {
      expect({ alert: rule.alert, action: rule.action }).toEqual({ alert: rule.alert, action: [{ action_group_id: "${azurerm_monitor_action_group.action-group.id}" }] });
      expect([0, 1, 2]).toContain(rule.severity);
      expect(rule.annotations.description).toContain(`See docs/operations.md#${rule.alert.toLowerCase()}.`);
      expect(operations).toContain(`\n### ${rule.alert}\n`);
    }
  });

  it("tests the health check URL from five Azure regions, and alerts when two fail", () => {
    expect(monitoring.text).toHaveResourceWithProperties(ApplicationInsightsStandardWebTest, {
      geo_locations: [...AVAILABILITY_TEST_LOCATIONS],
      validation_rules: { expected_status_code: 200, content: { content_match: "OK", pass_if_text_found: true } },
    });
    const [test] = resources(monitoring.json, "azurerm_application_insights_standard_web_test");
    expect(test.request.url).toMatch(/^http:\/\/\$\{data\.terraform_remote_state\.cross-stack-reference-input-integ-operator\.outputs\.[^}]+\}\/ops\/healthcheck$/);
    expect(AVAILABILITY_TEST_LOCATIONS).toHaveLength(5);
    expect(monitoring.text).toHaveResourceWithProperties(MonitorMetricAlert, {
      application_insights_web_test_location_availability_criteria: {
        failed_location_count: 2,
        web_test_id: "${azurerm_application_insights_standard_web_test.availability-test.id}",
        component_id: "${azurerm_application_insights.application-insights.id}",
      },
    });
    expect(readFileSync(path.join(PROJECT_ROOT, "docs", "operations.md"), "utf8")).toContain("\n### OperatorUnreachable\n");
  });
});

describe("the alert rules' PromQL", () => {
  const rules = operatorAlertRules({ namespace: "uid2", deployment: "operator-deployment" }, deployment().monitoring);

  it.each(rules.map((r) => [r.alert, r.expression]))("%s parses with the Prometheus project's PromQL grammar: %s", (_alert, expression) => {
    expect(promqlErrors(expression)).toEqual([]);
  });

  it("the parser check finds a broken expression (it is not a formality)", () => {
    expect(promqlErrors('sum(increase(kube_pod_container_status_restarts_total{namespace="uid2"}[30m]) >= 3')).not.toEqual([]);
    expect(promqlErrors('up{job="uid2-operator" == 0')).not.toEqual([]);
  });

  it("filters the operator's series by the configured namespace and the release's Deployment", () => {
    expect(rules.find((r) => r.alert === "OperatorDegraded")!.expression).toContain('namespace="uid2", deployment="operator-deployment"');
    expect(rules.find((r) => r.alert === "OperatorRestarting")!.expression).toContain('pod=~"operator-deployment-.*", container="uid2-operator"');
  });

  it("takes its thresholds from the configuration", () => {
    const custom = operatorAlertRules({ namespace: "default", deployment: "operator-deployment" }, deployment({ monitoring: { unreadyMinutes: 9, restartThreshold: 7, saltMaxAgeHours: 24, storeRefreshFailureMinutes: 60 } }).monitoring);
    const byName = new Map(custom.map((r) => [r.alert, r]));
    expect(byName.get("OperatorDegraded")!.for).toBe("PT9M");
    expect(byName.get("OperatorRestarting")!.expression).toMatch(/>= 7$/);
    expect(byName.get("OperatorSaltsStale")!.expression).toMatch(/> 86400$/);
    expect(byName.get("OperatorStoreRefreshFailing")!.for).toBe("PT60M");
  });
});

describe("monitoring stack by exposure and receivers", () => {
  it.each(["restricted", "internal"] as const)("with exposure %s, has no availability test Azure could not run, and reads nothing from the operator stack", (exposure) => {
    const operator = exposure === "restricted" ? { exposure, allowedSourceRanges: ["203.0.113.0/24"] } : { exposure };
    const monitoring = stacksOf({ ...EMAILS, operator }).get("integ-monitoring").json;
    for (const type of ["azurerm_application_insights_standard_web_test", "azurerm_application_insights", "azurerm_log_analytics_workspace", "azurerm_monitor_metric_alert"]) {
      expect({ type, count: resources(monitoring, type).length }).toEqual({ type, count: 0 });
    }
    expect(JSON.stringify(monitoring)).not.toContain("cross-stack-reference-input-integ-operator");
    expect(resources(monitoring, "azurerm_monitor_alert_prometheus_rule_group")).toHaveLength(1);
  });

  it("routes every alert to an existing action group too, and creates none without e-mail receivers", () => {
    const monitoring = stacksOf({ monitoring: { actionGroupId: GROUP_ID } }).get("integ-monitoring").json;
    expect(resources(monitoring, "azurerm_monitor_action_group")).toHaveLength(0);
    const [rules] = resources(monitoring, "azurerm_monitor_alert_prometheus_rule_group");
    for (const rule of rules.rule) expect(rule.action).toEqual([{ action_group_id: GROUP_ID }]);
    const [availability] = resources(monitoring, "azurerm_monitor_metric_alert");
    expect(availability.action).toEqual([{ action_group_id: GROUP_ID }]);
  });

  it("with monitoring.enabled false, synthesizes no monitoring stack and leaves the add-on off", () => {
    const stacks = stacksOf({ monitoring: { enabled: false } });
    expect(stacks.ids().sort()).toEqual(["integ-cluster", "integ-network", "integ-operator", "integ-secrets"]);
    expect(stacks.get("integ-cluster").json.resource!.azurerm_kubernetes_cluster.cluster.monitor_metrics).toBeUndefined();
  });
});

describe("configuration: monitoring", () => {
  it("warns that the alerts notify no one without a receiver", () => {
    const { warnings } = resolveConfig({ deployments: [entry()] }, "test.json");
    expect(warnings).toContain("integ: monitoring has neither alertEmails nor actionGroupId: the alerts fire, but notify no one; list receivers in monitoring.alertEmails or name an action group in monitoring.actionGroupId");
    expect(resolveConfig({ deployments: [entry(EMAILS)] }, "test.json").warnings.filter((w) => w.includes("monitoring"))).toEqual([]);
    expect(resolveConfig({ deployments: [entry({ monitoring: { enabled: false } })] }, "test.json").warnings.filter((w) => w.includes("monitoring"))).toEqual([]);
  });

  it.each<[string, Json, string]>([
    ["an address without a domain", { alertEmails: ["ops"] }, 'integ: monitoring.alertEmails[0] "ops" must be an e-mail address such as ops@example.com'],
    ["a display name with the address", { alertEmails: ["Ops <ops@example.com>"] }, 'integ: monitoring.alertEmails[0] "Ops <ops@example.com>" must be an e-mail address such as ops@example.com'],
    ["a receiver listed twice", { alertEmails: ["ops@example.com", "OPS@example.com"] }, 'integ: monitoring.alertEmails[1] "OPS@example.com" repeats monitoring.alertEmails[0]; list each receiver once'],
    ["an action group id of another type", { actionGroupId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Insights/components/x" }, "integ: monitoring.actionGroupId \"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Insights/components/x\" must be an action group's resource id"],
    ["a threshold out of range", { restartThreshold: 0 }, "integ: monitoring.restartThreshold 0 "],
    ["a misspelt key", { alertEmail: ["ops@example.com"] }, "integ: monitoring.alertEmail is not a known setting"],
    ["a string for a boolean", { enabled: "yes" }, 'integ: monitoring.enabled "yes" must be'],
  ])("refuses %s", (_case, monitoring, expected) => {
    const problems = problemsOfDeployment({ monitoring });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it("accepts an action group id in any case of its provider, as Azure writes them both ways", () => {
    expect(problemsOfDeployment({ monitoring: { actionGroupId: GROUP_ID.replace("microsoft.insights", "Microsoft.Insights") } })).toEqual([]);
  });

  it("synthesizes deterministically (the same JSON twice)", () => {
    const once = Testing.synth(appWith(deployment(EMAILS)).node.findChild("integ-monitoring") as never);
    expect(Testing.synth(appWith(deployment(EMAILS)).node.findChild("integ-monitoring") as never)).toBe(once);
  });
});
