/**
 * The custom scrape jobs of Azure Monitor managed Prometheus, as the add-on reads them: the
 * `prometheus-config` key of the ConfigMap `ama-metrics-prometheus-config` in `kube-system`
 * (a core kind, so Terraform plans it before the add-on's custom resources exist). The add-on's
 * cluster-wide collector, in the cluster's VNet, scrapes each pod by its address:
 * - the operator's pods on their `prometheus` container port (9080, `/metrics`), never through
 *   the LoadBalancer Service, which does not expose that port (UID2's confidential containers guide);
 * - the virtual node's pods (namespace `vn2`) on port 50052, the container-metrics endpoint the
 *   virtual node chart documents for pods on virtual nodes (Docs/ContainerMetrics.md), whose series
 *   carry the container's own labels as `exported_*`.
 */
import { stringify } from "yaml";
import { OPERATOR_SCRAPE_JOB } from "./alert-rules";

export const SCRAPE_CONFIG_MAP = "ama-metrics-prometheus-config";
export const SCRAPE_CONFIG_NAMESPACE = "kube-system";
export const SCRAPE_CONFIG_KEY = "prometheus-config";
/** The virtual node's container-metrics port (the chart's Docs/ContainerMetrics.md). */
export const VIRTUAL_NODE_METRICS_PORT = 50052;
export const OPERATOR_METRICS_PORT_NAME = "prometheus";

export interface ScrapeTargets {
  /** `operator.namespace`. */
  readonly operatorNamespace: string;
  /** The virtual node chart's namespace (`vn2`). */
  readonly virtualNodeNamespace: string;
}

/** The YAML of the `prometheus-config` key. */
export function scrapeConfig(t: ScrapeTargets): string {
  const pods = (namespace: string) => [{ role: "pod", namespaces: { names: [namespace] } }];
  return stringify({
    scrape_configs: [
      {
        job_name: OPERATOR_SCRAPE_JOB,
        scrape_interval: "30s",
        metrics_path: "/metrics",
        kubernetes_sd_configs: pods(t.operatorNamespace),
        relabel_configs: [
          { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], action: "keep", regex: "operator" },
          { source_labels: ["__meta_kubernetes_pod_container_port_name"], action: "keep", regex: OPERATOR_METRICS_PORT_NAME },
          { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
          { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
        ],
      },
      {
        job_name: "virtual-node-containers",
        scrape_interval: "30s",
        metrics_path: "/metrics",
        kubernetes_sd_configs: pods(t.virtualNodeNamespace),
        relabel_configs: [
          { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], action: "keep", regex: "virtualnode" },
          { source_labels: ["__meta_kubernetes_pod_ip"], target_label: "__address__", replacement: `$1:${VIRTUAL_NODE_METRICS_PORT}` },
        ],
        // The series describe the containers on the virtual node, not the virtual node's own pod.
        metric_relabel_configs: [
          { action: "labeldrop", regex: "^(pod|namespace|container)$" },
          { action: "labelmap", regex: "^exported_(.*)", replacement: "$1" },
        ],
      },
    ],
  });
}
