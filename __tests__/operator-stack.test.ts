import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { App, Testing } from "cdktf";
import { DataAzurermKubernetesCluster } from "@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-cluster";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { DataKubernetesServiceV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-service-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { readReleaseManifest } from "../lib/manifest/read";
import type { DeploymentConfig } from "../lib/config/types";
import { PROJECT_ROOT } from "../lib/project-root";
import { OperatorStack } from "../stacks/operator-stack";
import { deployment, type Json } from "./support/config";
import { appWith, stackOf, synthOf, type SynthesizedStack, type TerraformJson } from "./support/synth";

const RELEASE_1 = path.join(__dirname, "fixtures", "manifests", "release-1.yaml");

interface Wired {
  readonly app: App;
  readonly operator: OperatorStack;
}

/** A deployment's stacks, wired by main.ts. */
function wire(d: DeploymentConfig): Wired {
  const app = appWith(d);
  return { app, operator: stackOf<OperatorStack>(app, `${d.name}-operator`) };
}

/** The operator stack of the integ deployment with `overrides`, using `manifestFile` as operator.manifestPath. */
function synthOperator(overrides: Json = {}, manifestFile?: string): SynthesizedStack & Wired {
  const operator = { ...((overrides.operator as Json | undefined) ?? {}), ...(manifestFile ? { manifestPath: manifestFile } : {}) };
  const wired = wire(deployment({ ...overrides, operator }));
  return { ...synthOf(wired.app, "integ-operator"), ...wired };
}

/**
 * Asserts that `value` reads an output of `stackId` through remote state, and that this output
 * holds `expected` there.
 */
function expectCrossStack(app: App, value: unknown, stackId: string, expected: string): void {
  const match = new RegExp(`^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${stackId}\\.outputs\\.([^}]+)\\}$`).exec(String(value));
  expect(match).not.toBeNull();
  const producer = synthOf(app, stackId).json;
  expect(producer.output?.[match![1]].value).toBe(expected);
}

/** The `locals` block, which support/synth.ts's TerraformJson does not type. */
function localsOf(json: TerraformJson): Record<string, any> {
  return (json as { locals?: Record<string, any> }).locals ?? {};
}

function manifests(json: TerraformJson): Record<string, any> {
  return json.resource?.kubernetes_manifest ?? {};
}

const DEPLOYMENT = "deployment-operator-deployment";
const SERVICE = "service-operator-svc";
const IDENTITY_ANNOTATION = "microsoft.containerinstance.virtualnode.identity";
const READY_NODES = "data.kubernetes_nodes.virtual-node-readiness_virtual-nodes_5B84F89B";

describe("operator stack: cluster access", () => {
  // GIVEN the default integ deployment WHEN its operator stack is synthesized
  const { text, json, app } = synthOperator();

  it("looks the cluster up by name and resource group, both read from the other stacks", () => {
    const lookup = json.data!.azurerm_kubernetes_cluster.cluster;
    expectCrossStack(app, lookup.name, "integ-cluster", "${azurerm_kubernetes_cluster.cluster.name}");
    expectCrossStack(app, lookup.resource_group_name, "integ-network", "${azurerm_resource_group.resource-group.name}");
    expect(text).toHaveDataSourceWithProperties(DataAzurermKubernetesCluster, { name: lookup.name });
  });

  it("configures the kubernetes and helm providers from that lookup", () => {
    const access = {
      host: "${data.azurerm_kubernetes_cluster.cluster.kube_config[0].host}",
      client_certificate: "${base64decode(data.azurerm_kubernetes_cluster.cluster.kube_config[0].client_certificate)}",
      client_key: "${base64decode(data.azurerm_kubernetes_cluster.cluster.kube_config[0].client_key)}",
      cluster_ca_certificate: "${base64decode(data.azurerm_kubernetes_cluster.cluster.kube_config[0].cluster_ca_certificate)}",
    };
    expect(text).toHaveProviderWithProperties(KubernetesProvider, access);
    // helm 3: `kubernetes` is an attribute object, not a list of blocks
    expect(text).toHaveProviderWithProperties(HelmProvider, { kubernetes: access });
  });

  it("carries no credentials through remote state", () => {
    expect(JSON.stringify(json.provider)).not.toContain("terraform_remote_state");
    for (const stackId of ["integ-cluster", "integ-secrets", "integ-network"]) {
      expect(JSON.stringify(synthOf(app, stackId).json.output ?? {})).not.toMatch(/kube_config|client_key|client_certificate/);
    }
  });
});

describe("operator stack: virtual nodes", () => {
  it("installs the published virtualnode chart at the pinned version, in the cg subnet, and waits for it", () => {
    const { text, json, app } = synthOperator();
    expect(text).toHaveResourceWithProperties(Release, {
      name: "virtualnode",
      chart: "virtualnode",
      repository: "https://microsoft.github.io/virtualnodesOnAzureContainerInstances/",
      version: "1.3410.26082101",
      wait: true,
      timeout: 900,
    });
    const release = json.resource!.helm_release["virtual-node"];
    expect(release.set).toEqual([{ name: "aciSubnetName", value: expect.any(String) }]);
    expectCrossStack(app, release.set[0].value, "integ-network", "${azurerm_subnet.subnet-cg.name}");
  });

  it("installs a local chart directory, written relative to the stack directory, without repository or version", () => {
    // GIVEN virtualNode.chartPath relative to the project root
    const d = deployment();
    const { app } = wire({ ...d, virtualNode: { ...d.virtualNode, chartPath: "vendor/virtualnodesOnAzureContainerInstances/Helm/virtualnode" } });
    const { text, json } = synthOf(app, "integ-operator");
    const release = json.resource!.helm_release["virtual-node"];
    expect(release.chart).toBe("../../../vendor/virtualnodesOnAzureContainerInstances/Helm/virtualnode");
    expect(release.repository).toBeUndefined();
    expect(release.version).toBeUndefined();
    expect(text).not.toContain(PROJECT_ROOT);
  });

  it("keeps an absolute chart directory as configured", () => {
    const d = deployment();
    const { app } = wire({ ...d, virtualNode: { ...d.virtualNode, chartPath: "/opt/charts/virtualnode" } });
    expect(synthOf(app, "integ-operator").json.resource!.helm_release["virtual-node"].chart).toBe("/opt/charts/virtualnode");
  });
});

describe("operator stack: a Ready virtual node before the operator", () => {
  // GIVEN release-1 WHEN the operator stack is synthesized
  const { json } = synthOperator({}, RELEASE_1);
  const [nodesName, nodes] = Object.entries(json.data!.kubernetes_nodes)[0] as [string, Record<string, any>];
  const [graceName, grace] = Object.entries(json.resource!.terraform_data)[0] as [string, Record<string, any>];
  const postcondition = () => nodes.lifecycle.postcondition;

  it("lists the nodes labelled as virtual nodes, the label the operator's nodeSelector asks for", () => {
    expect(Object.keys(json.data!.kubernetes_nodes)).toHaveLength(1);
    expect(nodes.metadata).toEqual({ labels: { virtualization: "virtualnode2" } });
    const pod = manifests(json)[DEPLOYMENT].manifest.spec.template.spec;
    expect(pod.nodeSelector).toEqual(nodes.metadata.labels);
  });

  it("reads them after the chart and a bounded registration grace: chart -> wait -> nodes -> operator manifests", () => {
    expect(grace.depends_on).toEqual(["helm_release.virtual-node"]);
    expect(grace.provisioner).toEqual([{ "local-exec": { command: "sleep 60" } }]);
    expect(nodes.depends_on).toEqual(["helm_release.virtual-node", `terraform_data.${graceName}`]);
    for (const manifest of Object.values(manifests(json))) expect(manifest.depends_on).toContain(`data.kubernetes_nodes.${nodesName}`);
  });

  it("waits again after every install or upgrade of the chart, and only then", () => {
    // a new revision (or chart version) replaces the grace, which makes the nodes read during apply
    expect(grace.triggers_replace).toEqual({ revision: "${helm_release.virtual-node.metadata.revision}", version: "${helm_release.virtual-node.version}" });
  });

  it("refuses to go on unless one of those nodes has the condition Ready = True", () => {
    expect(postcondition()).toHaveLength(1);
    expect(postcondition()[0].condition).toBe(
      '${length([for node in self.nodes : node if anytrue([for condition in node.status[0].conditions : condition.type == "Ready" && condition.status == "True"])]) > 0}',
    );
  });

  it("says the virtual node never registered, and what to look at: the chart's pods, the cg delegation, the kubelet identity's roles", () => {
    const message: string = postcondition()[0].error_message;
    expect(message).toMatch(/^The virtual node never registered: no node labelled virtualization=virtualnode2 is Ready \(nodes with that label: \$\{.+\}\), 60 s after/);
    expect(message).toContain("kubectl -n vn2 get pods");
    expect(message).toContain("must be delegated to Microsoft.ContainerInstance/containerGroups");
    expect(message).toContain("the kubelet identity's roles on the node resource group and the deployment's resource group");
    // (the name as configured, not read from the network stack: see guard-messages.test.ts)
    expect(message).toContain("the cg subnet, which must be delegated");
  });
});

describe("operator stack: the release manifest", () => {
  // GIVEN release-1 WHEN the operator stack is synthesized
  const { json, app, operator } = synthOperator({}, RELEASE_1);
  const release = readReleaseManifest(RELEASE_1);
  const deploymentManifest = manifests(json)[DEPLOYMENT];
  const serviceManifest = manifests(json)[SERVICE];

  it("makes one kubernetes_manifest per document, named by kind and name", () => {
    expect(Object.keys(manifests(json)).sort()).toEqual([DEPLOYMENT, SERVICE]);
  });

  it("fills the four placeholders from the secrets values and the environment", () => {
    const pod = deploymentManifest.manifest.spec.template;
    expectCrossStack(app, pod.metadata.annotations[IDENTITY_ANNOTATION], "integ-secrets", "${azurerm_user_assigned_identity.operator-identity.id}");
    const env = pod.spec.containers[1].env;
    expectCrossStack(app, env[0].value, "integ-secrets", "${azurerm_key_vault.key-vault.name}");
    // the secret's name is configuration (names.operatorKeySecret), known before any deploy
    expect(env[1]).toEqual({ name: "OPERATOR_KEY_SECRET_NAME", value: "uid2-operator-key" });
    expect(env[2]).toEqual({ name: "DEPLOYMENT_ENVIRONMENT", value: "integ" });
  });

  it("sends everything else exactly as released, plus metadata.namespace", () => {
    // THEN with the four substituted values put back, each manifest is the released object plus its namespace
    const restored = structuredClone(deploymentManifest.manifest);
    restored.spec.template.metadata.annotations[IDENTITY_ANNOTATION] = "IDENTITY_PLACEHOLDER";
    const env = restored.spec.template.spec.containers[1].env;
    [env[0].value, env[1].value, env[2].value] = ["VAULT_NAME_PLACEHOLDER", "OPERATOR_KEY_SECRET_NAME_PLACEHOLDER", "DEPLOYMENT_ENVIRONMENT_PLACEHOLDER"];
    const withoutNamespace = (m: any) => ({ ...m, metadata: Object.fromEntries(Object.entries(m.metadata).filter(([k]) => k !== "namespace")) });
    expect(withoutNamespace(restored)).toEqual(release.documents[0].body);
    expect(withoutNamespace(serviceManifest.manifest)).toEqual(release.documents[1].body);
    expect(deploymentManifest.manifest.metadata.namespace).toBe("default");
    expect(serviceManifest.manifest.metadata.namespace).toBe("default");
  });

  it("keeps Kubernetes field names: cdktf renames nothing inside the manifest", () => {
    const pod = deploymentManifest.manifest.spec.template.spec;
    expect(deploymentManifest.manifest.apiVersion).toBe("apps/v1");
    expect(pod.nodeSelector).toEqual({ virtualization: "virtualnode2" });
    expect(pod.containers[1].securityContext).toEqual({ runAsUser: 1000 });
    expect(pod.containers[1].readinessProbe.httpGet).toEqual({ path: "/ops/healthcheck", port: 8080 });
    expect(JSON.stringify(deploymentManifest.manifest)).not.toMatch(/"(api_version|node_selector|run_as_user|container_port)"/);
    // The stack hands cdktf the release's key order; cdktf then writes cdk.tf.json with sorted
    // keys, which changes nothing: objects are unordered, and kubectl too sends sorted JSON.
    const written = (operator.toTerraform() as any).resource.kubernetes_manifest[DEPLOYMENT].manifest;
    expect(Object.keys(written)).toEqual(["apiVersion", "kind", "metadata", "spec"]);
    expect(Object.keys(written.spec.template.spec.containers[1])).toEqual(Object.keys((release.documents[0].body.spec as any).template.spec.containers[1]));
  });

  it("applies the manifests only once the virtual nodes are installed and one is Ready", () => {
    expect(deploymentManifest.depends_on).toEqual(["helm_release.virtual-node", READY_NODES]);
    expect(serviceManifest.depends_on).toEqual(["helm_release.virtual-node", READY_NODES]);
    expect(json.resource!.kubernetes_namespace_v1).toBeUndefined();
  });

  it("waits for the rollout of the Deployment: new pods ready, old pods gone", () => {
    expect(deploymentManifest.wait).toEqual({ rollout: true });
    expect(deploymentManifest.timeouts).toEqual({ create: "30m", update: "30m", delete: "15m" });
  });

  it("waits until the Service has its load balancer IP", () => {
    expect(serviceManifest.wait).toEqual({ fields: { "status.loadBalancer.ingress[0].ip": "^([0-9]+([.]|$)){4}" } });
    expect(serviceManifest.timeouts).toEqual({ create: "30m", update: "30m", delete: "15m" });
  });

  it("recognises an IPv4 address and nothing else as the Service's address", () => {
    const ipv4 = new RegExp(serviceManifest.wait.fields["status.loadBalancer.ingress[0].ip"]);
    expect(["20.1.2.3", "10.0.0.1"].filter((value) => ipv4.test(value))).toHaveLength(2);
    expect(["", "pending", "2001:db8::1", "20.1.2"].filter((value) => ipv4.test(value))).toEqual([]);
  });

  it("reads the IP back from the applied Service and outputs it with the health check URL", () => {
    expect(Testing.synth(operator)).toHaveDataSourceWithProperties(DataKubernetesServiceV1, {
      metadata: { name: "operator-svc", namespace: "default" },
      depends_on: [`kubernetes_manifest.${SERVICE}`],
    });
    const ip = "${data.kubernetes_service_v1.operator-service.status[0].load_balancer[0].ingress[0].ip}";
    expect(json.output!.service_ip.value).toBe(ip);
    expect(json.output!.healthcheck_url.value).toBe(`http://${ip}/ops/healthcheck`);
  });

  it("lets a release deploy: the template guard lists nothing", () => {
    expect(localsOf(json).unreleased_template_placeholders).toEqual([]);
    expect(deploymentManifest.lifecycle.precondition).toHaveLength(1);
    expect(serviceManifest.lifecycle).toBeUndefined();
  });
});

describe("operator stack: the sample manifest", () => {
  // GIVEN the default configuration, which names the sample WHEN synthesized
  const { json } = synthOperator();

  it("still synthesizes both objects", () => {
    expect(Object.keys(manifests(json)).sort()).toEqual([DEPLOYMENT, SERVICE]);
  });

  it("stops a deploy at plan with a precondition that names the placeholders and says what to do", () => {
    expect(localsOf(json).unreleased_template_placeholders).toEqual([
      'CCE_POLICY_PLACEHOLDER in Deployment operator-deployment at spec.template.metadata.annotations["microsoft.containerinstance.virtualnode.ccepolicy"]',
      "IMAGE_PLACEHOLDER in Deployment operator-deployment at spec.template.spec.containers[1].image",
      "IMAGE_PLACEHOLDER in Deployment operator-deployment at spec.template.spec.containers[1].env[3].value",
    ]);
    const [precondition] = manifests(json)[DEPLOYMENT].lifecycle.precondition;
    // Terraform rejects a condition that references nothing: this one reads the local
    expect(precondition.condition).toBe("${(length(local.unreleased_template_placeholders) < 1)}");
    expect(precondition.error_message).toMatch(/^The manifest at operator.manifestPath \(operator\/sample-operator.yaml\) is a template, not a UID2 release: /);
    expect(precondition.error_message).toContain('${join("; ", local.unreleased_template_placeholders)}');
    expect(precondition.error_message).toMatch(/ Point operator.manifestPath at the operator.yaml from the release ZIP your UID2 contact sent\.$/);
  });
});

describe("operator stack: namespaces", () => {
  it("creates a namespace other than default and applies the manifests into it, after it", () => {
    // GIVEN operator.namespace "uid2"
    const { json } = synthOperator({ operator: { namespace: "uid2" } }, RELEASE_1);
    expect(json.resource!.kubernetes_namespace_v1.namespace.metadata).toEqual({ name: "uid2" });
    for (const manifest of Object.values(manifests(json))) {
      expect(manifest.manifest.metadata.namespace).toBe("uid2");
      expect(manifest.depends_on).toEqual(["helm_release.virtual-node", READY_NODES, "kubernetes_namespace_v1.namespace"]);
    }
    expect(json.data!.kubernetes_service_v1["operator-service"].metadata.namespace).toBe("uid2");
  });
});

describe("operator stack: template syntax in the release", () => {
  it("writes the release's ${ and %{ escaped, so Terraform sends them unchanged", () => {
    // GIVEN a release whose env holds text that looks like Terraform template syntax
    const greeting = '        - name: GREETING\n          value: "${HOME} %{x} $${y}"\n';
    const text = readFileSync(RELEASE_1, "utf8").replace("        - name: IMAGE_NAME\n", (imageName) => greeting + imageName);
    const dir = mkdtempSync(path.join(tmpdir(), "uid2-operator-"));
    const file = path.join(dir, "operator.yaml");
    writeFileSync(file, text);
    // WHEN synthesized
    const { json, app } = synthOperator({}, file);
    rmSync(dir, { recursive: true, force: true });
    const env = manifests(json)[DEPLOYMENT].manifest.spec.template.spec.containers[1].env;
    // THEN the literal text is escaped and the substituted tokens are not
    expect(env[3]).toEqual({ name: "GREETING", value: "$${HOME} %%{x} $$${y}" });
    expectCrossStack(app, env[0].value, "integ-secrets", "${azurerm_key_vault.key-vault.name}");
  });
});
