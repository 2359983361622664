import { App, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { defineDeployment } from "../main";
import { DataAzurermKubernetesServiceVersions } from "@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-service-versions";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { RoleDefinition } from "@cdktf/provider-azurerm/lib/role-definition";
import { readFileSync } from "fs";
import * as path from "path";
import { VIRTUAL_NODE_ACTIONS } from "../constructs/kubelet-roles";
import { PROJECT_ROOT } from "../lib/project-root";
import type { DeploymentConfig } from "../lib/config/types";
import { ClusterStack, rotationPoolName } from "../stacks/cluster-stack";
import { NetworkStack } from "../stacks/network-stack";
import { deployment, type Json } from "./support/config";
import { appWith, declaredOutputs, onlyResource, stackOf, synthAll, synthOf, type SynthesizedStack, type TerraformJson } from "./support/synth";

interface Deployed {
  readonly app: App;
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
}

/** A deployment's stacks, wired by main.ts, in `app` (by default the suite's shared app of that deployment). */
function deploy(d: DeploymentConfig, app?: App): Deployed {
  if (app) defineDeployment(app, d);
  const target = app ?? appWith(d);
  return { app: target, network: stackOf(target, `${d.name}-network`), cluster: stackOf(target, `${d.name}-cluster`) };
}

function synthCluster(overrides: Json = {}): { cluster: SynthesizedStack; network: SynthesizedStack } {
  const { app } = deploy(deployment(overrides));
  return { cluster: synthOf(app, "integ-cluster"), network: synthOf(app, "integ-network") };
}

/** How the cluster stack reads the network stack's value `expression` (e.g. "${azurerm_subnet.subnet-aks.id}"). */
function remoteRead(cluster: TerraformJson, network: TerraformJson, expression: string): string {
  // cdktf's own cross-stack outputs; the network stack also prints some of the same values for people.
  const outputs = Object.entries(network.output ?? {}).filter(([name, output]) => name.startsWith("cross-stack-output-") && output.value === expression);
  expect(outputs).toHaveLength(1);
  const states = Object.keys(cluster.data?.terraform_remote_state ?? {});
  expect(states).toHaveLength(1);
  return `\${data.terraform_remote_state.${states[0]}.outputs.${outputs[0][0]}}`;
}

const RESOURCE_GROUP_ID = "${azurerm_resource_group.resource-group.id}";
const AKS_SUBNET_ID = "${azurerm_subnet.subnet-aks.id}";
const KUBELET_OBJECT_ID = "${azurerm_kubernetes_cluster.cluster.kubelet_identity[0].object_id}";
const NODE_RESOURCE_GROUP_ID = "${azurerm_kubernetes_cluster.cluster.node_resource_group_id}";
const CLUSTER_PRINCIPAL_ID = "${azurerm_kubernetes_cluster.cluster.identity[0].principal_id}";

/** The role assignments held by the kubelet identity. */
function kubeletAssignments(json: TerraformJson): Record<string, any>[] {
  return Object.values(json.resource!.azurerm_role_assignment).filter((assignment) => assignment.principal_id === KUBELET_OBJECT_ID);
}

describe("cluster stack", () => {
  // GIVEN the default integ deployment WHEN its network and cluster stacks are synthesized
  const { cluster, network } = synthCluster();
  const { text, json } = cluster;
  const aks = () => onlyResource(json, "azurerm_kubernetes_cluster");

  it("creates the cluster with the configured name, DNS prefix and version, on the patch channel", () => {
    expect(text).toHaveResourceWithProperties(KubernetesCluster, {
      name: "aks-uid2-integ",
      dns_prefix: "aks-uid2-integ",
      kubernetes_version: "1.36",
      automatic_upgrade_channel: "patch",
    });
  });

  it("gives the cluster a system-assigned identity (--enable-managed-identity)", () => {
    expect(text).toHaveResourceWithProperties(KubernetesCluster, { identity: { type: "SystemAssigned" } });
  });

  it("uses Azure CNI with the configured network policy and service addresses", () => {
    expect(text).toHaveResourceWithProperties(KubernetesCluster, {
      network_profile: { network_plugin: "azure", network_policy: "calico", service_cidr: "10.4.0.0/16", dns_service_ip: "10.4.0.10" },
    });
  });

  it("builds the default node pool as the guide's az aks create does, autoscaled", () => {
    expect(text).toHaveResourceWithProperties(KubernetesCluster, {
      default_node_pool: expect.objectContaining({
        name: "oprnodepool",
        vm_size: "Standard_D4d_v5",
        node_count: 2,
        auto_scaling_enabled: true,
        min_count: 2,
        max_count: 5,
        os_sku: "Ubuntu",
      }),
    });
  });

  it("cycles the node pool through a temporary one rather than replacing the cluster", () => {
    expect(aks().default_node_pool.temporary_name_for_rotation).toBe("oprnodepotmp");
  });

  it("lets the autoscaler own the node count, and only that", () => {
    expect(aks().lifecycle.ignore_changes).toEqual(["default_node_pool[0].node_count"]);
  });

  it("places the nodes in the network stack's aks subnet, read from its state", () => {
    const subnet = remoteRead(json, network.json, AKS_SUBNET_ID);
    expect(text).toHaveResourceWithProperties(KubernetesCluster, { default_node_pool: expect.objectContaining({ vnet_subnet_id: subnet }) });
  });

  it("places the cluster in the network stack's resource group and region, read from its state", () => {
    expect(text).toHaveResourceWithProperties(KubernetesCluster, {
      resource_group_name: remoteRead(json, network.json, "${azurerm_resource_group.resource-group.name}"),
      location: remoteRead(json, network.json, "${azurerm_resource_group.resource-group.location}"),
    });
  });

  it("reads the network stack's state from where that stack keeps it", () => {
    const [state] = Object.values(json.data!.terraform_remote_state);
    expect(state).toMatchObject({ backend: "local", config: { path: "../../../terraform.integ-network.tfstate" } });
  });

  it("grants the kubelet identity Contributor on the node resource group and the deployment's resource group", () => {
    const common = { principal_id: KUBELET_OBJECT_ID, principal_type: "ServicePrincipal", role_definition_name: "Contributor", skip_service_principal_aad_check: true };
    expect(text).toHaveResourceWithProperties(RoleAssignment, { ...common, scope: NODE_RESOURCE_GROUP_ID });
    expect(text).toHaveResourceWithProperties(RoleAssignment, { ...common, scope: remoteRead(json, network.json, RESOURCE_GROUP_ID) });
    expect(kubeletAssignments(json)).toHaveLength(2);
    expect(text).not.toHaveResource(RoleDefinition);
  });

  it("assigns the kubelet roles to the identity's object ID, never its client ID (the guide's clientId is not a principal)", () => {
    expect(text).not.toContain("client_id");
  });

  it("grants the cluster's own identity Network Contributor on the aks subnet, as az aks create does", () => {
    expect(text).toHaveResourceWithProperties(RoleAssignment, {
      scope: remoteRead(json, network.json, AKS_SUBNET_ID),
      role_definition_name: "Network Contributor",
      principal_id: CLUSTER_PRINCIPAL_ID,
      principal_type: "ServicePrincipal",
      skip_service_principal_aad_check: true,
    });
    expect(Object.keys(json.resource!.azurerm_role_assignment)).toHaveLength(3);
  });

  it("outputs the cluster's name and id, its node resource group and the kubelet identity's object ID", () => {
    expect(declaredOutputs(json)).toEqual({
      cluster_name: expect.objectContaining({ value: "${azurerm_kubernetes_cluster.cluster.name}" }),
      cluster_id: expect.objectContaining({ value: "${azurerm_kubernetes_cluster.cluster.id}" }),
      node_resource_group: expect.objectContaining({ value: "${azurerm_kubernetes_cluster.cluster.node_resource_group}" }),
      kubelet_identity_object_id: expect.objectContaining({ value: KUBELET_OBJECT_ID }),
    });
  });

  it("tags the cluster with environment, deployment and managed-by", () => {
    expect(aks().tags).toEqual({ environment: "integ", deployment: "integ", "managed-by": "uid2-operator-aks" });
  });

  it("keeps local state at the project root, by a path relative to the stack directory", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.integ-cluster.tfstate" } });
  });
});

describe("cluster stack wiring", () => {
  it("depends on the network stack only", () => {
    // GIVEN the two stacks WHEN synthesized THEN the cluster stack depends on the network stack alone
    const { app, network, cluster } = deploy(deployment());
    synthAll(app);
    expect(cluster.dependencies).toEqual([network]);
  });

  it("exposes the cluster's identifiers to later stacks as public fields, and never a credential", () => {
    // GIVEN a stack that reads every public field of the cluster stack, as a later stack would
    // (in an app of its own: the consumer stack is added to it)
    const { app, cluster } = deploy(deployment(), Testing.app());
    const consumer = new TerraformStack(app, "integ-consumer");
    const fields = {
      clusterName: cluster.clusterName,
      clusterId: cluster.clusterId,
      nodeResourceGroupName: cluster.nodeResourceGroupName,
      nodeResourceGroupId: cluster.nodeResourceGroupId,
      kubeletIdentityObjectId: cluster.kubeletIdentityObjectId,
    };
    for (const [name, value] of Object.entries(fields)) new TerraformOutput(consumer, name, { value });
    // WHEN synthesized
    const outputs = synthAll(app).get("integ-cluster")!.json.output!;
    // THEN the cluster stack outputs each field's attribute for the consumer
    const crossStack = Object.entries(outputs).filter(([name]) => !["cluster_name", "cluster_id", "node_resource_group", "kubelet_identity_object_id"].includes(name));
    expect(crossStack.map(([, output]) => output.value).sort()).toEqual(
      [
        "${azurerm_kubernetes_cluster.cluster.name}",
        "${azurerm_kubernetes_cluster.cluster.id}",
        "${azurerm_kubernetes_cluster.cluster.node_resource_group}",
        NODE_RESOURCE_GROUP_ID,
        KUBELET_OBJECT_ID,
      ].sort(),
    );
    // AND none of its outputs, its own or those made for other stacks, holds a credential
    const values = JSON.stringify(outputs);
    for (const secret of [/kube_config/, /kube_admin_config/, /client_key/, /client_certificate/, /cluster_ca_certificate/, /password/, /client_secret/]) {
      expect(values).not.toMatch(secret);
    }
  });
});

describe("cluster stack with the least-privilege kubelet role", () => {
  // GIVEN cluster.kubeletRole "least-privilege" WHEN synthesized
  const { cluster, network } = synthCluster({ cluster: { kubeletRole: "least-privilege" } });
  const { text, json } = cluster;
  const role = () => onlyResource(json, "azurerm_role_definition");
  const roleId = () => `\${azurerm_role_definition.${Object.keys(json.resource!.azurerm_role_definition)[0]}.role_definition_resource_id}`;

  it("defines a custom role with exactly the virtual nodes' actions", () => {
    expect(role().permissions).toEqual([
      {
        actions: [
          "Microsoft.ContainerInstance/containerGroups/read",
          "Microsoft.ContainerInstance/containerGroups/write",
          "Microsoft.ContainerInstance/containerGroups/delete",
          "Microsoft.ContainerInstance/containerGroups/containers/exec/action",
          "Microsoft.Network/virtualNetworks/subnets/join/action",
          "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
        ],
      },
    ]);
    expect([...VIRTUAL_NODE_ACTIONS]).toEqual(role().permissions[0].actions);
  });

  it("defines the role in the deployment's resource group, assignable on both groups", () => {
    const group = remoteRead(json, network.json, RESOURCE_GROUP_ID);
    expect(text).toHaveResourceWithProperties(RoleDefinition, { scope: group, assignable_scopes: [NODE_RESOURCE_GROUP_ID, group] });
  });

  it("names the role after the cluster and the deployment's resource group id, unique in the tenant", () => {
    const group = remoteRead(json, network.json, RESOURCE_GROUP_ID).slice(2, -1);
    expect(role().name).toBe(`uid2-virtual-nodes-aks-uid2-integ-\${substr(sha1(${group}), 0, 8)}`);
  });

  it("assigns the custom role, not Contributor, on the same two scopes", () => {
    const common = { principal_id: KUBELET_OBJECT_ID, principal_type: "ServicePrincipal", role_definition_id: roleId(), skip_service_principal_aad_check: true };
    expect(text).toHaveResourceWithProperties(RoleAssignment, { ...common, scope: NODE_RESOURCE_GROUP_ID });
    expect(text).toHaveResourceWithProperties(RoleAssignment, { ...common, scope: remoteRead(json, network.json, RESOURCE_GROUP_ID) });
    expect(kubeletAssignments(json)).toHaveLength(2);
    for (const assignment of kubeletAssignments(json)) expect(assignment).not.toHaveProperty("role_definition_name");
  });

  it("gives two deployments different role names", () => {
    // GIVEN two deployments in one app WHEN synthesized THEN their custom roles are named apart
    const app = Testing.app();
    deploy(deployment({ cluster: { kubeletRole: "least-privilege" } }), app);
    deploy(deployment({ name: "integ2", cluster: { kubeletRole: "least-privilege" } }), app);
    const stacks = synthAll(app);
    const names = ["integ-cluster", "integ2-cluster"].map((id) => onlyResource(stacks.get(id)!.json, "azurerm_role_definition").name);
    expect(names[0]).not.toBe(names[1]);
  });
});

describe("cluster stack with custom settings", () => {
  it("takes the node pool, autoscaler, network and version settings from the configuration", () => {
    // GIVEN a deployment overriding every az aks create setting
    const { cluster } = synthCluster({
      names: { cluster: "aks-custom" },
      cluster: {
        kubernetesVersion: "1.32",
        nodeVmSize: "Standard_D8d_v5",
        nodeCount: 3,
        minCount: 1,
        maxCount: 10,
        nodePoolName: "pool1",
        osSku: "AzureLinux",
        networkPolicy: "azure",
        serviceCidr: "10.8.0.0/16",
        dnsServiceIp: "10.8.0.10",
        dnsPrefix: "uid2-custom",
      },
    });
    // WHEN synthesized THEN the settings reach the cluster
    expect(cluster.text).toHaveResourceWithProperties(KubernetesCluster, {
      name: "aks-custom",
      dns_prefix: "uid2-custom",
      kubernetes_version: "1.32",
      default_node_pool: expect.objectContaining({
        name: "pool1",
        vm_size: "Standard_D8d_v5",
        node_count: 3,
        auto_scaling_enabled: true,
        min_count: 1,
        max_count: 10,
        os_sku: "AzureLinux",
        temporary_name_for_rotation: "pool1tmp",
      }),
      network_profile: { network_plugin: "azure", network_policy: "azure", service_cidr: "10.8.0.0/16", dns_service_ip: "10.8.0.10" },
    });
    expect(onlyResource(cluster.json, "azurerm_kubernetes_cluster").lifecycle.ignore_changes).toEqual(["default_node_pool[0].node_count"]);
  });

  it("leaves the upgrade channel out for \"none\", which the provider does not accept as a value", () => {
    // GIVEN upgradeChannel "none" WHEN synthesized THEN no automatic_upgrade_channel is written
    const { cluster } = synthCluster({ cluster: { upgradeChannel: "none" } });
    expect(onlyResource(cluster.json, "azurerm_kubernetes_cluster")).not.toHaveProperty("automatic_upgrade_channel");
  });

  it.each(["stable", "rapid"])("lets the %s channel own the Kubernetes version after creation", (channel) => {
    // GIVEN a channel that upgrades minor versions WHEN synthesized THEN plans ignore the version too
    const { cluster } = synthCluster({ cluster: { upgradeChannel: channel, kubernetesVersion: "1.33.2" } });
    expect(cluster.text).toHaveResourceWithProperties(KubernetesCluster, { automatic_upgrade_channel: channel, kubernetes_version: "1.33.2" });
    expect(onlyResource(cluster.json, "azurerm_kubernetes_cluster").lifecycle.ignore_changes).toEqual(["default_node_pool[0].node_count", "kubernetes_version"]);
  });

  it("keeps the Kubernetes version managed with the node-image channel", () => {
    const { cluster } = synthCluster({ cluster: { upgradeChannel: "node-image" } });
    expect(onlyResource(cluster.json, "azurerm_kubernetes_cluster").lifecycle.ignore_changes).toEqual(["default_node_pool[0].node_count"]);
  });
});

describe("cluster stack: the Kubernetes version checked at plan", () => {
  // GIVEN the default integ deployment WHEN its network and cluster stacks are synthesized
  const { cluster, network } = synthCluster();
  const { text, json } = cluster;
  const versionSources = () => json.data!.azurerm_kubernetes_service_versions;
  const sourceMatching = (test: (source: Record<string, any>) => boolean) => {
    const [name] = Object.entries(versionSources()).find(([, source]) => test(source))!;
    return `data.azurerm_kubernetes_service_versions.${name}`;
  };
  const precondition = () => onlyResource(json, "azurerm_kubernetes_cluster").lifecycle.precondition;
  const location = () => remoteRead(json, network.json, "${azurerm_resource_group.resource-group.location}");

  it("asks AKS, in the deployment's region, for the non-preview patch versions of the configured minor only", () => {
    // "1.36." and not "1.36": the prefix is compared as text, and "1.3" would also match 1.30 to 1.39
    expect(text).toHaveDataSourceWithProperties(DataAzurermKubernetesServiceVersions, { location: location(), version_prefix: "1.36.", include_preview: false });
  });

  it("also asks for everything the region offers, for the message", () => {
    expect(Object.values(versionSources())).toHaveLength(2);
    expect(Object.values(versionSources())).toContainEqual({ location: location(), include_preview: false });
  });

  it("refuses the plan of the cluster unless the region offers a version of the minor", () => {
    const ofMinor = sourceMatching((source) => source.version_prefix === "1.36.");
    expect(precondition()).toHaveLength(1);
    expect(precondition()[0].condition).toBe(`\${(length(${ofMinor}.versions) >= 1)}`);
  });

  it("says what is configured, where, what is offered and the latest, what to change, and LTS as the other way out", () => {
    const offered = sourceMatching((source) => source.version_prefix === undefined);
    const message: string = precondition()[0].error_message;
    // the region as configured: the network stack's value would be sensitive under the cloud backend
    expect(message).toContain("AKS does not offer Kubernetes 1.36 in eastus, so");
    expect(message).toContain(`Offered there (preview versions aside): \${join(", ", ${offered}.versions)}; the latest is \${${offered}.latest_version}.`);
    expect(message).toContain("Set cluster.kubernetesVersion of deployment integ to an offered version");
    expect(message).toContain("keep 1.36 with AKS Long-Term Support");
  });

  it("reads as the README quotes it, once Terraform has filled in AKS's answer", () => {
    // GIVEN a 1.33 deployment in eastus, and AKS's answer as the README's example has it
    const stack = synthCluster({ cluster: { kubernetesVersion: "1.33" } }).cluster.json;
    const message: string = onlyResource(stack, "azurerm_kubernetes_cluster").lifecycle.precondition[0].error_message;
    const filled = message
      .replace(/\$\{join\([^}]+\}/, "1.35.3, 1.35.4, 1.36.1, 1.36.2, 1.37.0")
      .replace(/\$\{[^}]+latest_version\}/, "1.37.0");
    // THEN the README's quote is that message, wrapped
    const readme = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const quoted = /```\nError: Resource precondition failed\n([^`]+)```/.exec(readme)![1];
    expect(quoted.split("\n").map((line) => line.trim()).filter(Boolean).join(" ")).toBe(filled);
  });

  it("requires the exact patch when a patch version is configured (a channel that moves minors)", () => {
    // GIVEN 1.35.4 on the stable channel WHEN synthesized
    const { json: stable } = synthCluster({ cluster: { kubernetesVersion: "1.35.4", upgradeChannel: "stable" } }).cluster;
    const [name, source] = Object.entries(stable.data!.azurerm_kubernetes_service_versions).find(([, candidate]) => candidate.version_prefix)!;
    // THEN the minor's versions are asked for, and 1.35.4 must be one of them
    expect(source.version_prefix).toBe("1.35.");
    expect(onlyResource(stable, "azurerm_kubernetes_cluster").lifecycle.precondition[0].condition).toBe(
      `\${contains(data.azurerm_kubernetes_service_versions.${name}.versions, "1.35.4")}`,
    );
  });
});

describe("rotationPoolName", () => {
  it.each([
    ["oprnodepool", "oprnodepotmp"],
    ["pool1", "pool1tmp"],
    ["abcdefghi", "abcdefghitmp"],
    ["abcdefghitmp", "abcdefghirot"],
  ])("turns %s into %s: a valid pool name, never the pool's own", (pool, rotation) => {
    expect(rotationPoolName(pool)).toBe(rotation);
    expect(rotation).toMatch(/^[a-z][a-z0-9]{0,11}$/);
  });
});
