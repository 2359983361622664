/**
 * The operator itself: the guide's "Set Up AKS Cluster" (virtual nodes through Helm) and
 * "Complete the UID2 Private Operator Setup" (the release's operator.yaml, its four placeholders
 * filled in), applied so that a deploy ends only when the new pods are ready and the service has
 * its address ("Running the Health Check", "Upgrading").
 */
import * as path from "path";
import { Construct } from "constructs";
import { Fn, Op, TerraformLocal, TerraformOutput, type ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { DataKubernetesServiceV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-service-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { configureClusterAccess } from "../constructs/cluster-access";
import { VirtualNodeReadiness } from "../constructs/virtual-node-readiness";
import { isDeployment, isLoadBalancerService } from "../lib/manifest/checks";
import { manifestConstructId } from "../lib/manifest/construct-id";
import { exposeService } from "../lib/manifest/exposure";
import { withNamespace } from "../lib/manifest/namespace";
import { substitutePlaceholders, templatePlaceholderUses, type PlaceholderValues } from "../lib/manifest/placeholders";
import { escapeTerraformTemplate } from "../lib/terraform-template";
import { isJsonObject, type JsonObject, type ReleaseManifest } from "../lib/manifest/types";
import { formatPath } from "../lib/manifest/walk";
import { fromStackDirectory } from "../lib/project-root";
import type { Exposure, OperatorSettings, VirtualNodeSettings } from "../lib/config/types";
import { DeploymentStack, type DeploymentStackProps } from "./deployment-stack";
import { SUBNET_NAMES } from "./network-stack";

/** The guide's `helm install virtualnode .../Helm/virtualnode`: release and chart are both `virtualnode`. */
export const VIRTUAL_NODE_RELEASE = "virtualnode";
export const VIRTUAL_NODE_CHART = "virtualnode";
/** The chart's `namespace` value, left at its default: where the virtual-node pods run (facts.md). */
export const VIRTUAL_NODE_CHART_NAMESPACE = "vn2";

/** The virtual node registers with the cluster after its pods start; a few minutes is normal. */
export const VIRTUAL_NODE_TIMEOUT_SECONDS = 900;

/** Confidential pods pull large images and attest before they are ready: give them time. */
export const MANIFEST_TIMEOUTS = { create: "30m", update: "30m", delete: "15m" } as const;

/**
 * The Service is done when Azure has given its load balancer an IPv4 address. The pattern has
 * no backslashes (`[0-9]`, `[.]`), because cdktf's HCL renderer writes them unescaped, which
 * Terraform then reads as invalid escape sequences.
 */
export const LOAD_BALANCER_IP_FIELD = "status.loadBalancer.ingress[0].ip";
export const IPV4_PATTERN = "^([0-9]+([.]|$)){4}";

/** What the Service's address is, by `operator.exposure`. */
const SERVICE_IP_DESCRIPTIONS: Readonly<Record<Exposure, string>> = {
  public: "Public IP address of the operator's LoadBalancer Service.",
  restricted: "Public IP address of the operator's LoadBalancer Service, reachable only from operator.allowedSourceRanges.",
  internal: "Private IP address of the operator's internal load balancer, in the aks subnet: reachable from the VNet and networks connected to it.",
};

/** The Kubernetes namespace that every cluster has; any other is created here. */
const EXISTING_NAMESPACE = "default";

export interface OperatorStackProps extends DeploymentStackProps {
  /** The AKS cluster to deploy into (cluster stack; config `names.cluster`, default `aks-<prefix>-uid2-<name>`). */
  readonly clusterName: string;
  /** The cluster's resource group (config `names.resourceGroup`, default `rg-<prefix>-uid2-<name>`). */
  readonly clusterResourceGroupName: string;
  /** Resource id of the pods' managed identity, for IDENTITY_PLACEHOLDER (secrets stack; config `names.managedIdentity`). */
  readonly identityResourceId: string;
  /** For VAULT_NAME_PLACEHOLDER (secrets stack; config `names.keyVault`, default `kv-<prefix>-uid2-<name>`). */
  readonly keyVaultName: string;
  /** For OPERATOR_KEY_SECRET_NAME_PLACEHOLDER (secrets stack; config `names.operatorKeySecret`, default `uid2-operator-key`). */
  readonly operatorKeySecretName: string;
  /** The delegated subnet of the container groups, the chart's `aciSubnetName` (network stack; always `cg`). */
  readonly containerGroupSubnetName: string;
  /** The virtual-node chart (config `virtualNode`, default the published chart 1.3410.26082101). */
  readonly virtualNode: VirtualNodeSettings;
  /** Namespace, manifest path, extra kinds and exposure (config `operator`; defaults: namespace `default`, the sample manifest, no extra kinds, exposure `public`). */
  readonly operator: OperatorSettings;
  /** The release's operator.yaml, read and checked once (config `operator.manifestPath`, default the sample). */
  readonly releaseManifest: ReleaseManifest;
}

export class OperatorStack extends DeploymentStack {
  /** The operator's address: the LoadBalancer Service's ingress IP (public, or private with exposure "internal"). */
  readonly serviceIp: string;
  /** `http://<service IP>/ops/healthcheck`, answered `OK` by a healthy operator. */
  readonly healthcheckUrl: string;

  constructor(scope: Construct, id: string, props: OperatorStackProps) {
    super(scope, id, props);

    configureClusterAccess(this, { clusterName: props.clusterName, resourceGroupName: props.clusterResourceGroupName, helm: true });

    // "Set Up AKS Cluster": the virtual nodes the confidential pods are scheduled on. `wait`
    // makes Helm return only once the virtual-node pods are ready.
    const virtualNodes = new Release(this, "virtual-node", {
      name: VIRTUAL_NODE_RELEASE,
      ...virtualNodeChart(props.virtualNode),
      set: [{ name: "aciSubnetName", value: props.containerGroupSubnetName }],
      wait: true,
      timeout: VIRTUAL_NODE_TIMEOUT_SECONDS,
    });

    // The guide's `kubectl get nodes` check: the operator waits for a Ready virtual node.
    const readiness = new VirtualNodeReadiness(this, "virtual-node-readiness", {
      release: virtualNodes,
      chartNamespace: VIRTUAL_NODE_CHART_NAMESPACE,
      // The name as synthesis knows it, not the network stack's output: see VirtualNodeReadinessProps.
      containerGroupSubnetName: SUBNET_NAMES.containerGroups,
    });

    const namespace = props.operator.namespace;
    const prerequisites: ITerraformDependable[] = [virtualNodes, readiness.readyNodes];
    if (namespace !== EXISTING_NAMESPACE) {
      prerequisites.push(new NamespaceV1(this, "namespace", { metadata: { name: namespace } }));
    }

    const unreleased = unreleasedTemplateGuard(this, props.releaseManifest, props.operator.manifestPath);
    const values: PlaceholderValues = {
      identityResourceId: props.identityResourceId,
      keyVaultName: props.keyVaultName,
      operatorKeySecretName: props.operatorKeySecretName,
      deploymentEnvironment: props.environment,
    };

    let service: { manifest: Manifest; document: JsonObject } | undefined;
    for (const released of props.releaseManifest.documents) {
      // "Update Placeholder Values": the four placeholders, and nothing else, change; then the
      // Service alone is exposed as configured (operator.exposure).
      const placed = withNamespace(substitutePlaceholders(released.body, values), namespace);
      const document = isLoadBalancerService(released) ? exposeService(placed, props.operator) : placed;
      const manifest = new Manifest(this, manifestConstructId(released), {
        manifest: document,
        timeouts: { ...MANIFEST_TIMEOUTS },
        dependsOn: prerequisites,
        ...(isDeployment(released) ? deploymentSettings(unreleased) : {}),
        ...(isLoadBalancerService(released) ? loadBalancerSettings() : {}),
      });
      if (isLoadBalancerService(released)) service ??= { manifest, document };
    }
    if (service === undefined) throw new Error(`${props.releaseManifest.file}: no LoadBalancer Service (readReleaseManifest refuses such a file)`);

    this.serviceIp = loadBalancerIp(this, service.manifest, service.document);
    this.healthcheckUrl = `http://${this.serviceIp}/ops/healthcheck`;

    new TerraformOutput(this, "service_ip", {
      value: this.serviceIp,
      description: SERVICE_IP_DESCRIPTIONS[props.operator.exposure],
    });
    new TerraformOutput(this, "healthcheck_url", {
      value: this.healthcheckUrl,
      description: "The operator's health check; answers 200 OK when healthy (npm run healthcheck polls it).",
    });
  }
}

/**
 * Where the chart comes from: the published repository at a pinned version, or a local chart
 * directory (the guide's git clone). A relative directory is written relative to the stack's
 * directory, so the synthesized JSON holds no absolute path of this machine.
 */
export function virtualNodeChart(settings: VirtualNodeSettings): { chart: string; repository?: string; version?: string } {
  if (settings.chartPath === undefined) {
    return { chart: VIRTUAL_NODE_CHART, repository: settings.repository, version: settings.chartVersion };
  }
  // A path is free text: escaped, so that Terraform does not read `${` or `%{` in it as a template.
  const chart = path.isAbsolute(settings.chartPath) ? settings.chartPath : fromStackDirectory(settings.chartPath);
  return { chart: escapeTerraformTemplate(chart) };
}

/**
 * A local listing where IMAGE_PLACEHOLDER or CCE_POLICY_PLACEHOLDER remain; empty for a release.
 * Synthesis works with the sample, but a deploy stops at plan on the precondition that reads it.
 */
function unreleasedTemplateGuard(scope: Construct, manifest: ReleaseManifest, manifestPath: string) {
  const uses = templatePlaceholderUses(manifest).map(
    (use) => `${use.placeholder} in ${use.document.kind} ${use.document.name} at ${formatPath(use.path)}`,
  );
  const local = new TerraformLocal(scope, "unreleased_template_placeholders", uses.map(escapeTerraformTemplate));
  return {
    // "< 1", not "== 0": cdktf 0.21 renders a literal 0 right-hand operand as `undefined`.
    condition: Op.lt(Fn.lengthOf(local.asList), 1),
    errorMessage:
      // No quotation marks: cdktf's HCL renderer leaves them unescaped in a string that holds an expression.
      `The manifest at operator.manifestPath (${escapeTerraformTemplate(manifestPath)}) is a template, not a UID2 release: ${Fn.join("; ", local.asList)}. ` +
      "Point operator.manifestPath at the operator.yaml from the release ZIP your UID2 contact sent.",
  };
}

/**
 * The Deployment: refused while it is a template, and applied only when done, that is when the
 * rollout has finished: new pods ready and old ones gone (the guide's "old pods shut down").
 */
function deploymentSettings(unreleased: { condition: unknown; errorMessage: string }) {
  return {
    lifecycle: { precondition: [unreleased] },
    wait: { rollout: true },
  };
}

/** The LoadBalancer Service: applied only once Azure has assigned its IP (public, or private when internal). */
function loadBalancerSettings() {
  return { wait: { fields: { [LOAD_BALANCER_IP_FIELD]: IPV4_PATTERN } } };
}

/**
 * The Service's ingress IP. kubernetes_manifest drops `status` from its `object` attribute, so
 * the address is read back through the Service data source once the manifest (and its wait) is
 * applied.
 */
function loadBalancerIp(scope: Construct, service: Manifest, document: JsonObject): string {
  const metadata = isJsonObject(document.metadata) ? document.metadata : {};
  const read = new DataKubernetesServiceV1(scope, "operator-service", {
    metadata: { name: String(metadata.name), namespace: String(metadata.namespace) },
    dependsOn: [service],
  });
  return read.status.get(0).loadBalancer.get(0).ingress.get(0).ip;
}
