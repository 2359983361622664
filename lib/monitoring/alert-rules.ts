/**
 * The operator's alerts, as Prometheus rules for Azure Monitor managed Prometheus: what fires
 * each, how bad it is, and what to do first (a section of docs/operations.md). Pure data built
 * from configuration, so that every expression can be parsed by the tests (a real PromQL parser)
 * and read in the synthesized JSON.
 *
 * Where the series come from:
 * - `kube_*`: kube-state-metrics, which the managed Prometheus add-on runs and scrapes itself
 *   (the series Microsoft's recommended AKS alerts use, so kept by its minimal ingestion profile).
 * - `up{job="uid2-operator"}` and `uid2_*`: the operator's own `/metrics` on its `prometheus` port
 *   (9080), scraped pod by pod inside the VNet (scrape-config.ts), never through the Service.
 *   `uid2_config_store_consecutive_refresh_failures{store}` is 1 while a store (salts, keys,
 *   keysets, ...) fails to refresh (uid2-shared, RotatingStoreVerticle);
 *   `uid2_second_level_salt_last_updated_max` is the newest `lastUpdated` (epoch milliseconds)
 *   among the salts the operator serves with (uid2-operator, OperatorMetrics).
 */
import type { MonitoringSettings } from "../config/types";

/** The job name of the operator's scrape (scrape-config.ts). */
export const OPERATOR_SCRAPE_JOB = "uid2-operator";
/** The release's operator container (facts.md, "The release's operator.yaml"). */
export const OPERATOR_CONTAINER = "uid2-operator";
/** How the virtual node chart names its nodes (`kubectl get nodes`: virtualnode-0, ...). */
export const VIRTUAL_NODE_NAME_PATTERN = "virtualnode-.*";

/** Azure Monitor's severities: 0 critical, 1 error, 2 warning, 3 informational, 4 verbose. */
export type Severity = 0 | 1 | 2 | 3 | 4;

export interface AlertRule {
  /** The alert's name, also the heading of its section in docs/operations.md. */
  readonly alert: string;
  readonly expression: string;
  /** How long the expression must hold, ISO 8601 (`PT5M`). */
  readonly for: string;
  readonly severity: Severity;
  /** What it means and what to do first. */
  readonly description: string;
}

export interface OperatorTarget {
  /** `operator.namespace`. */
  readonly namespace: string;
  /** The release's Deployment (`operator-deployment`). */
  readonly deployment: string;
}

const minutes = (n: number): string => `PT${n}M`;
/** Where the alert's section is, for its description. */
export const operationsSection = (alert: string): string => `docs/operations.md#${alert.toLowerCase()}`;

/** The rules of one deployment. */
export function operatorAlertRules(target: OperatorTarget, m: MonitoringSettings): AlertRule[] {
  const deployment = `namespace="${target.namespace}", deployment="${target.deployment}"`;
  const pods = `namespace="${target.namespace}", pod=~"${target.deployment}-.*", container="${OPERATOR_CONTAINER}"`;
  const job = `job="${OPERATOR_SCRAPE_JOB}"`;
  const rule = (alert: string, expression: string, forDuration: string, severity: Severity, what: string): AlertRule => ({
    alert,
    expression,
    for: forDuration,
    severity,
    description: `${what} See ${operationsSection(alert)}.`,
  });
  return [
    rule(
      "OperatorUnavailable",
      `(sum(kube_deployment_status_replicas_available{${deployment}}) or vector(0)) < 1`,
      minutes(2),
      0,
      `No operator pod of ${target.namespace}/${target.deployment} is ready: UID2 requests to this operator fail. First: kubectl get pods -n ${target.namespace} -l app.kubernetes.io/name=operator, then the uid2-operator container's logs.`,
    ),
    rule(
      "OperatorDegraded",
      `sum(kube_deployment_status_replicas_available{${deployment}}) < sum(kube_deployment_spec_replicas{${deployment}})`,
      minutes(m.unreadyMinutes),
      2,
      `Fewer operator pods of ${target.namespace}/${target.deployment} are ready than desired, for ${m.unreadyMinutes} minutes: less capacity, and a sign of pods failing their health check or not starting. First: kubectl describe pod -n ${target.namespace} -l app.kubernetes.io/name=operator.`,
    ),
    rule(
      "OperatorRestarting",
      `sum(increase(kube_pod_container_status_restarts_total{${pods}}[30m])) >= ${m.restartThreshold}`,
      minutes(1),
      1,
      `The uid2-operator container restarted ${m.restartThreshold} or more times in 30 minutes. The operator exits at once when UID2 Core answers 401 (a wrong or revoked operator key), and 12 hours after other attestation failures. First: kubectl logs -n ${target.namespace} -l app.kubernetes.io/name=operator -c uid2-operator --previous.`,
    ),
    rule(
      "OperatorMetricsDown",
      `count(up{${job}} == 0) > 0 or absent(up{${job}})`,
      minutes(10),
      2,
      "Prometheus cannot scrape the operator's metrics (port 9080 of its pods) or finds no operator pod to scrape: the salt and key alerts are blind. First: the ama-metrics pods in kube-system, and the ama-metrics-prometheus-config ConfigMap.",
    ),
    rule(
      "OperatorStoreRefreshFailing",
      `max by (store) (uid2_config_store_consecutive_refresh_failures{${job}}) > 0`,
      minutes(m.storeRefreshFailureMinutes),
      1,
      `The operator has failed to refresh a store (salts, keys, keysets, clients, ...) from UID2 for ${m.storeRefreshFailureMinutes} minutes: it serves with stale data and stops when it is too old. First: outbound HTTPS from the NAT address to the hosts of the network stack's egress_allowlist output, then the operator's logs (E12: Data Download Failure).`,
    ),
    rule(
      "OperatorSaltsStale",
      `time() - max(uid2_second_level_salt_last_updated_max{${job}}) / 1000 > ${m.saltMaxAgeHours * 3600}`,
      minutes(15),
      1,
      `The newest salt the operator holds was updated more than ${m.saltMaxAgeHours} hours ago: UID2 rotates salts daily, so the operator is no longer receiving them. First: the OperatorStoreRefreshFailing alert and the operator's logs.`,
    ),
    rule(
      "VirtualNodeNotReady",
      `(sum(kube_node_status_condition{node=~"${VIRTUAL_NODE_NAME_PATTERN}", condition="Ready", status="true"}) or vector(0)) < 1`,
      minutes(5),
      1,
      "No virtual node is Ready: operator pods cannot be scheduled or replaced. First: kubectl get nodes, then kubectl -n vn2 get pods and their logs.",
    ),
  ];
}
