/**
 * Terraform's access to a deployment's cluster, for the kubernetes provider and, where charts are
 * installed, the helm provider: the cluster is looked up by name and its credentials read from
 * Azure at plan time, never passed between stacks (an output of the cluster stack would store
 * them in a second state and hand them to every reader of that state).
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { DataAzurermKubernetesCluster } from "@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-cluster";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";

export interface ClusterAccessProps {
  readonly clusterName: string;
  readonly resourceGroupName: string;
  /** Also configure the helm provider. @default false */
  readonly helm?: boolean;
}

/** Configures the kubernetes (and helm) provider of `scope`'s stack for the cluster. */
export function configureClusterAccess(scope: Construct, props: ClusterAccessProps): void {
  const cluster = new DataAzurermKubernetesCluster(scope, "cluster", { name: props.clusterName, resourceGroupName: props.resourceGroupName });
  const kubeConfig = cluster.kubeConfig.get(0);
  const access = {
    host: kubeConfig.host,
    clientCertificate: Fn.base64decode(kubeConfig.clientCertificate),
    clientKey: Fn.base64decode(kubeConfig.clientKey),
    clusterCaCertificate: Fn.base64decode(kubeConfig.clusterCaCertificate),
  };
  new KubernetesProvider(scope, "kubernetes", access);
  if (props.helm) new HelmProvider(scope, "helm", { kubernetes: access });
}
