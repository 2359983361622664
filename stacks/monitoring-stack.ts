/**
 * Telling someone when the operator stops serving: the guide's requirement that "Private Operator
 * hosts must have infrastructure in place to handle alerting and restarting operators in the case
 * of an error". Kubernetes restarts the pods; this stack measures them and pages people.
 *
 * - Azure Monitor managed Prometheus for the cluster (its `monitor_metrics` add-on is switched on
 *   by the cluster stack): a workspace, a data collection endpoint and rule, their association
 *   with the cluster, and the custom scrape jobs of the operator and the virtual node
 *   (lib/monitoring/scrape-config.ts), which the add-on reads from a ConfigMap. A ConfigMap is a
 *   core kind, so the first deployment plans and applies in one pass; a PodMonitor would need the
 *   add-on's custom resource definition in the cluster before the plan.
 * - Prometheus alert rules (lib/monitoring/alert-rules.ts), routed to the deployment's action
 *   group (`monitoring.alertEmails`) and to `monitoring.actionGroupId`.
 * - With `operator.exposure` "public", an availability test of the health check URL from five
 *   Azure regions and an alert on it. Azure's test agents cannot reach an internal load balancer,
 *   and admitting their service tag to a restricted one would admit anyone's availability test:
 *   there, the in-cluster checks (readiness probes on /ops/healthcheck, scrape targets) are the
 *   health check (docs/operations.md).
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { ApplicationInsights } from "@cdktf/provider-azurerm/lib/application-insights";
import { ApplicationInsightsStandardWebTest } from "@cdktf/provider-azurerm/lib/application-insights-standard-web-test";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { MonitorAlertPrometheusRuleGroup } from "@cdktf/provider-azurerm/lib/monitor-alert-prometheus-rule-group";
import { MonitorDataCollectionEndpoint } from "@cdktf/provider-azurerm/lib/monitor-data-collection-endpoint";
import { MonitorDataCollectionRule } from "@cdktf/provider-azurerm/lib/monitor-data-collection-rule";
import { MonitorDataCollectionRuleAssociation } from "@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association";
import { MonitorMetricAlert } from "@cdktf/provider-azurerm/lib/monitor-metric-alert";
import { MonitorWorkspace } from "@cdktf/provider-azurerm/lib/monitor-workspace";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { configureClusterAccess } from "../constructs/cluster-access";
import type { Exposure, MonitoringSettings } from "../lib/config/types";
import { operationsSection, operatorAlertRules, type OperatorTarget } from "../lib/monitoring/alert-rules";
import { SCRAPE_CONFIG_KEY, SCRAPE_CONFIG_MAP, SCRAPE_CONFIG_NAMESPACE, scrapeConfig } from "../lib/monitoring/scrape-config";
import { escapeTerraformTemplate } from "../lib/terraform-template";
import { DeploymentStack, type DeploymentStackProps } from "./deployment-stack";

/** The stream managed Prometheus sends through its data collection rule. */
const PROMETHEUS_STREAM = "Microsoft-PrometheusMetrics";

/**
 * Where the availability test runs from: five Azure test locations in the US, where the
 * confidential regions UID2 allows are (facts.md, "Where it may run"); ids from Azure's list of
 * availability test locations.
 */
export const AVAILABILITY_TEST_LOCATIONS = ["us-va-ash-azr", "us-ca-sjc-azr", "us-tx-sn1-azr", "us-il-ch1-azr", "us-fl-mia-edge"] as const;
/** Seconds between two runs of the test at each location, and how long one may take. */
export const AVAILABILITY_TEST_FREQUENCY_SECONDS = 300;
const AVAILABILITY_TEST_TIMEOUT_SECONDS = 30;

/** Azure Monitor's limit on an action group's short name (shown in SMS and e-mail subjects). */
const ACTION_GROUP_SHORT_NAME_MAX = 12;

export interface MonitoringNames {
  /** Config `names.monitorWorkspace` (default `amw-<prefix>-uid2-<name>`). */
  readonly monitorWorkspace: string;
  /** Config `names.actionGroup` (default `ag-<prefix>-uid2-<name>`). */
  readonly actionGroup: string;
  /** Config `names.applicationInsights` (default `appi-<prefix>-uid2-<name>`). */
  readonly applicationInsights: string;
  /** Config `names.logAnalyticsWorkspace` (default `log-<prefix>-uid2-<name>`). */
  readonly logAnalyticsWorkspace: string;
}

export interface MonitoringStackProps extends DeploymentStackProps {
  /** The deployment's resource group, from the network stack. */
  readonly resourceGroupName: string;
  /** Azure region, from the network stack (config `location`). */
  readonly location: string;
  /** Resource id of the AKS cluster, from the cluster stack: what the collection rule is associated with. */
  readonly clusterId: string;
  /** The cluster's name, from the cluster stack (config `names.cluster`): the rules' cluster and kubectl's access. */
  readonly clusterName: string;
  /** `http://<service IP>/ops/healthcheck`, from the operator stack: the availability test's URL (exposure "public"). */
  readonly healthcheckUrl: string;
  /** Who can reach the operator (config `operator.exposure`, default "public"): whether Azure can test it from outside. */
  readonly exposure: Exposure;
  /** The operator's Deployment and namespace (config `operator.namespace`; the release's Deployment name). */
  readonly operator: OperatorTarget;
  /** The virtual node chart's namespace, whose pods serve the container metrics (`vn2`). */
  readonly virtualNodeNamespace: string;
  /** Names of the monitoring resources (config `names`). */
  readonly names: MonitoringNames;
  /** Receivers and thresholds (config `monitoring`; defaults in lib/config/defaults.ts). */
  readonly monitoring: MonitoringSettings;
}

export class MonitoringStack extends DeploymentStack {
  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const placed = { resourceGroupName: props.resourceGroupName, location: props.location };

    // Managed Prometheus: workspace, endpoint, rule (Prometheus stream into the workspace), and
    // the rule and endpoint associated with the cluster, as Azure's add-on expects them.
    const workspace = new MonitorWorkspace(this, "monitor-workspace", { name: props.names.monitorWorkspace, ...placed });
    const endpoint = new MonitorDataCollectionEndpoint(this, "collection-endpoint", { name: `dce-${props.names.monitorWorkspace}`, kind: "Linux", ...placed });
    const rule = new MonitorDataCollectionRule(this, "collection-rule", {
      name: `dcr-${props.names.monitorWorkspace}`,
      ...placed,
      kind: "Linux",
      dataCollectionEndpointId: endpoint.id,
      destinations: { monitorAccount: [{ monitorAccountId: workspace.id, name: "monitor-workspace" }] },
      dataFlow: [{ streams: [PROMETHEUS_STREAM], destinations: ["monitor-workspace"] }],
      dataSources: { prometheusForwarder: [{ streams: [PROMETHEUS_STREAM], name: "prometheus" }] },
    });
    new MonitorDataCollectionRuleAssociation(this, "collection-rule-association", {
      name: `dcra-${props.deployment}`,
      targetResourceId: props.clusterId,
      dataCollectionRuleId: rule.id,
    });
    // The endpoint association carries this reserved name; Azure refuses any other.
    new MonitorDataCollectionRuleAssociation(this, "collection-endpoint-association", {
      name: "configurationAccessEndpoint",
      targetResourceId: props.clusterId,
      dataCollectionEndpointId: endpoint.id,
    });

    configureClusterAccess(this, { clusterName: props.clusterName, resourceGroupName: props.resourceGroupName });
    new ConfigMapV1(this, "scrape-config", {
      metadata: { name: SCRAPE_CONFIG_MAP, namespace: SCRAPE_CONFIG_NAMESPACE },
      // `$1` in relabelling is Prometheus's, not Terraform's: escaped so that Terraform leaves it.
      data: { [SCRAPE_CONFIG_KEY]: escapeTerraformTemplate(scrapeConfig({ operatorNamespace: props.operator.namespace, virtualNodeNamespace: props.virtualNodeNamespace })) },
    });

    const actionGroupIds = this.actionGroups(props, placed);
    const actions = actionGroupIds.map((actionGroupId) => ({ actionGroupId }));

    new MonitorAlertPrometheusRuleGroup(this, "operator-alerts", {
      name: `uid2-operator-${props.deployment}`,
      ...placed,
      clusterName: props.clusterName,
      description: `The UID2 operator of deployment ${props.deployment}: availability, restarts, scraping, salts and keys, the virtual node.`,
      interval: "PT1M",
      scopes: [workspace.id, props.clusterId],
      rule: operatorAlertRules(props.operator, props.monitoring).map((r) => ({
        alert: r.alert,
        enabled: true,
        expression: r.expression,
        for: r.for,
        severity: r.severity,
        annotations: { description: r.description },
        labels: { deployment: props.deployment },
        action: actions,
        alertResolution: { autoResolved: true, timeToResolve: "PT10M" },
      })),
    });

    if (props.exposure === "public") this.availabilityTest(props, placed, actions);

    new TerraformOutput(this, "monitor_workspace_id", { value: workspace.id, description: "The Azure Monitor workspace holding the cluster's Prometheus metrics (query it in Azure Managed Grafana or the portal)." });
    new TerraformOutput(this, "action_group_ids", { value: actionGroupIds, description: "The action groups every alert of the deployment notifies." });
  }

  /** The deployment's own group when it lists receivers, and the configured one. */
  private actionGroups(props: MonitoringStackProps, placed: { resourceGroupName: string; location: string }): string[] {
    const ids: string[] = [];
    const emails = props.monitoring.alertEmails;
    if (emails.length > 0) {
      const group = new MonitorActionGroup(this, "action-group", {
        name: props.names.actionGroup,
        resourceGroupName: placed.resourceGroupName,
        shortName: `uid2-${props.deployment}`.slice(0, ACTION_GROUP_SHORT_NAME_MAX),
        emailReceiver: emails.map((emailAddress, i) => ({ name: `email-${i + 1}`, emailAddress, useCommonAlertSchema: true })),
      });
      ids.push(group.id);
    }
    if (props.monitoring.actionGroupId !== undefined) ids.push(props.monitoring.actionGroupId);
    return ids;
  }

  /** Application Insights' standard test of `/ops/healthcheck` (200 and `OK`), and its alert. */
  private availabilityTest(props: MonitoringStackProps, placed: { resourceGroupName: string; location: string }, actions: { actionGroupId: string }[]): void {
    const logs = new LogAnalyticsWorkspace(this, "log-analytics", { name: props.names.logAnalyticsWorkspace, ...placed, sku: "PerGB2018", retentionInDays: 30 });
    const insights = new ApplicationInsights(this, "application-insights", { name: props.names.applicationInsights, ...placed, applicationType: "other", workspaceId: logs.id });
    const test = new ApplicationInsightsStandardWebTest(this, "availability-test", {
      name: `uid2-operator-healthcheck-${props.deployment}`,
      ...placed,
      applicationInsightsId: insights.id,
      description: "GET /ops/healthcheck of the operator's Service answers 200 with the body OK.",
      enabled: true,
      frequency: AVAILABILITY_TEST_FREQUENCY_SECONDS,
      timeout: AVAILABILITY_TEST_TIMEOUT_SECONDS,
      retryEnabled: true,
      geoLocations: [...AVAILABILITY_TEST_LOCATIONS],
      request: { url: props.healthcheckUrl, httpVerb: "GET" },
      validationRules: { expectedStatusCode: 200, content: { contentMatch: "OK", passIfTextFound: true } },
    });
    new MonitorMetricAlert(this, "availability-alert", {
      name: `uid2-operator-unreachable-${props.deployment}`,
      resourceGroupName: placed.resourceGroupName,
      scopes: [test.id, insights.id],
      severity: 1,
      frequency: "PT1M",
      windowSize: "PT5M",
      description:
        `The operator's health check URL failed from ${props.monitoring.availabilityFailedLocations} or more of ${AVAILABILITY_TEST_LOCATIONS.length} Azure test locations: ` +
        `participants cannot reach the operator. First: npm run healthcheck -- ${props.deployment}. See ${operationsSection("OperatorUnreachable")}.`,
      applicationInsightsWebTestLocationAvailabilityCriteria: {
        webTestId: test.id,
        componentId: insights.id,
        failedLocationCount: props.monitoring.availabilityFailedLocations,
      },
      action: actions,
    });
  }
}
