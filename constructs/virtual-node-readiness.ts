/**
 * The virtual node registered and Ready before the operator is applied: the guide checks
 * `kubectl get nodes` for `virtualnode-0` after installing the chart ("Set Up AKS Cluster").
 * Without this, an operator whose pods can never be scheduled (no virtual node) would only fail
 * when the Deployment's 30-minute rollout wait runs out, with a message that names neither cause.
 *
 * How, and why this way:
 * - A `kubernetes_nodes` data source lists the nodes labelled `virtualization: virtualnode2`
 *   (the label the operator's nodeSelector asks for), and its postcondition refuses to go on
 *   unless one of them is Ready, with a message that says what to look at.
 * - Terraform reads a data source at plan unless something it depends on has changes pending;
 *   then it reads it during apply, after those changes. It depends on the chart's release, so on
 *   a first deploy, and whenever the chart is installed again or upgraded, the nodes are read
 *   only after Helm has installed it and its pods are ready (the release's `wait`). On a deploy
 *   that leaves the chart alone, they are read at plan: a virtual node that has gone away stops
 *   the plan, before anything changes.
 * - A node registers shortly after the chart's pods start (the guide waits "~1 minute" from
 *   `helm install`), so after each install or upgrade a POSIX `sleep` gives it that long before
 *   the nodes are read (like the secrets stack's RBAC wait, it runs on workstations and in
 *   Terraform Cloud). The whole wait is bounded: the release's own timeout, then this grace.
 * - Rejected: `kubectl wait --for=condition=Ready node -l ...` in a local-exec polls properly,
 *   but needs kubectl and the cluster's credentials on the deploying machine (Terraform Cloud's
 *   runners have neither, and the credentials would leave the providers' configuration); a
 *   `kubernetes_manifest` wait only watches the object it manages, and cannot select nodes.
 */
import { Construct } from "constructs";
import { DataResource } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { DataKubernetesNodes } from "@cdktf/provider-kubernetes/lib/data-kubernetes-nodes";

/** The label the chart gives its virtual nodes, which the release's operator.yaml selects (facts.md). */
export const VIRTUAL_NODE_LABEL = { virtualization: "virtualnode2" } as const;

/** Time a virtual node gets to register and turn Ready once the chart's pods are ready (guide: "~1 minute"). */
export const VIRTUAL_NODE_REGISTRATION_SECONDS = 60;

/**
 * Terraform's own expressions: a data source's postcondition reads the data source as `self`,
 * which has no cdktf binding. A node is Ready when its `Ready` condition has status `True`.
 */
export const READY_VIRTUAL_NODE_CONDITION =
  '${length([for node in self.nodes : node if anytrue([for condition in node.status[0].conditions : condition.type == "Ready" && condition.status == "True"])]) > 0}';
const NODE_NAMES = '${length(self.nodes) > 0 ? join(", ", [for node in self.nodes : node.metadata[0].name]) : "none"}';

export interface VirtualNodeReadinessProps {
  /** The virtual-node chart's Helm release ("Set Up AKS Cluster"). */
  readonly release: Release;
  /** The chart's namespace, where its pods run (the chart's `namespace` value, `vn2` by default). */
  readonly chartNamespace: string;
  /**
   * The delegated subnet's name for the message, as synthesis knows it (`cg`): not read from the
   * network stack, whose values are sensitive under the cloud backend and may not appear in it.
   */
  readonly containerGroupSubnetName: string;
}

export class VirtualNodeReadiness extends Construct {
  /** What the operator's manifests depend on: read once a virtual node is Ready. */
  readonly readyNodes: DataKubernetesNodes;

  constructor(scope: Construct, id: string, props: VirtualNodeReadinessProps) {
    super(scope, id);

    // Replaced on every install or upgrade of the chart: the revision changes with each.
    const registration = new DataResource(this, "registration-grace", {
      triggersReplace: { revision: props.release.metadata.revision, version: props.release.version },
      provisioners: [{ type: "local-exec", command: `sleep ${VIRTUAL_NODE_REGISTRATION_SECONDS}` }],
      dependsOn: [props.release],
    });

    const label = Object.entries(VIRTUAL_NODE_LABEL).map(([key, value]) => `${key}=${value}`).join(",");
    this.readyNodes = new DataKubernetesNodes(this, "virtual-nodes", {
      metadata: { labels: { ...VIRTUAL_NODE_LABEL } },
      dependsOn: [props.release, registration],
      lifecycle: {
        postcondition: [
          {
            condition: READY_VIRTUAL_NODE_CONDITION,
            errorMessage:
              `The virtual node never registered: no node labelled ${label} is Ready (nodes with that label: ${NODE_NAMES}), ` +
              `${VIRTUAL_NODE_REGISTRATION_SECONDS} s after the virtualnode chart's pods became ready. Look at: ` +
              `the chart's pods and their logs (kubectl -n ${props.chartNamespace} get pods; kubectl -n ${props.chartNamespace} logs <pod> --all-containers); ` +
              `the ${props.containerGroupSubnetName} subnet, which must be delegated to Microsoft.ContainerInstance/containerGroups (network stack); ` +
              `the kubelet identity's roles on the node resource group and the deployment's resource group (cluster stack, cluster.kubeletRole). ` +
              `Then deploy the operator stack again.`,
          },
        ],
      },
    });
  }
}
