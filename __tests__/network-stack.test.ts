import { NatGateway } from "@cdktf/provider-azurerm/lib/nat-gateway";
import { NatGatewayPublicIpAssociation } from "@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNatGatewayAssociation } from "@cdktf/provider-azurerm/lib/subnet-nat-gateway-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { DataAzurermKubernetesServiceVersions } from "@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-service-versions";
import { readFileSync } from "fs";
import * as path from "path";
import { EGRESS_HOSTS } from "../lib/egress-hosts";
import { PROJECT_ROOT } from "../lib/project-root";
import { deployment } from "./support/config";
import { appWith, onlyResource, synthOf } from "./support/synth";

describe("network stack", () => {
  // GIVEN the default integ deployment WHEN its network stack is synthesized
  const { text, json } = synthOf(appWith(deployment()), "integ-network");

  it("creates the resource group in the deployment's location", () => {
    expect(text).toHaveResourceWithProperties(ResourceGroup, { name: "rg-uid2-integ", location: "eastus" });
  });

  it("creates the VNet with the guide's address space", () => {
    expect(text).toHaveResourceWithProperties(VirtualNetwork, { name: "vnet-uid2-integ", address_space: ["10.0.0.0/8"] });
  });

  it("creates the default, aks and cg subnets with the guide's prefixes", () => {
    expect(text).toHaveResourceWithProperties(Subnet, { name: "default", address_prefixes: ["10.0.0.0/24"] });
    expect(text).toHaveResourceWithProperties(Subnet, { name: "aks", address_prefixes: ["10.1.0.0/16"] });
    expect(text).toHaveResourceWithProperties(Subnet, { name: "cg", address_prefixes: ["10.2.0.0/16"] });
    expect(Object.keys(json.resource!.azurerm_subnet)).toHaveLength(3);
  });

  it("delegates only the cg subnet to container groups", () => {
    const subnets = Object.values(json.resource!.azurerm_subnet);
    const cg = subnets.find((s) => s.name === "cg");
    expect(cg.delegation).toEqual([
      expect.objectContaining({
        service_delegation: expect.objectContaining({ name: "Microsoft.ContainerInstance/containerGroups" }),
      }),
    ]);
    for (const other of subnets.filter((s) => s.name !== "cg")) expect(other.delegation).toBeUndefined();
  });

  it("creates a Standard, Static public IP", () => {
    expect(text).toHaveResourceWithProperties(PublicIp, { name: "pip-uid2-integ-nat", sku: "Standard", allocation_method: "Static" });
  });

  it("creates a NAT gateway with the configured idle timeout, using that public IP", () => {
    expect(text).toHaveResourceWithProperties(NatGateway, { name: "ng-uid2-integ", sku_name: "Standard", idle_timeout_in_minutes: 4 });
    expect(text).toHaveResourceWithProperties(NatGatewayPublicIpAssociation, {
      nat_gateway_id: "${azurerm_nat_gateway.nat-gateway.id}",
      public_ip_address_id: "${azurerm_public_ip.nat-public-ip.id}",
    });
  });

  it("associates the NAT gateway with the cg subnet only", () => {
    expect(Object.keys(json.resource!.azurerm_subnet_nat_gateway_association)).toHaveLength(1);
    expect(text).toHaveResourceWithProperties(SubnetNatGatewayAssociation, { subnet_id: "${azurerm_subnet.subnet-cg.id}" });
  });

  it("places every located resource in the resource group's location", () => {
    for (const type of ["azurerm_virtual_network", "azurerm_public_ip", "azurerm_nat_gateway"]) {
      expect(onlyResource(json, type).location).toBe("${azurerm_resource_group.resource-group.location}");
    }
  });

  it("tags every taggable resource with environment, deployment and managed-by", () => {
    const tags = { environment: "integ", deployment: "integ", "managed-by": "uid2-operator-aks" };
    for (const type of ["azurerm_resource_group", "azurerm_virtual_network", "azurerm_public_ip", "azurerm_nat_gateway"]) {
      expect(onlyResource(json, type).tags).toEqual(tags);
    }
  });

  it("outputs the NAT public IP as the operator's egress address", () => {
    expect(json.output!.nat_public_ip.value).toBe("${azurerm_public_ip.nat-public-ip.ip_address}");
  });

  it("outputs the integ environment's egress allowlist: the UID2 hosts to allow by name on HTTPS", () => {
    expect(json.output!.egress_allowlist.value).toEqual([
      "core-integ.uidapi.com",
      "optout-integ.uidapi.com",
      "uid2-core-integ-store.s3.us-east-2.amazonaws.com",
      "uid2-optout-integ-store.s3.us-east-2.amazonaws.com",
    ]);
    expect(json.output!.egress_allowlist.description).toMatch(/^Hosts the operator must reach on HTTPS \(443\) from nat_public_ip, for the integ environment: allow them by name/);
  });

  it("configures the azurerm provider to register only what the stacks use", () => {
    expect(text).toHaveProviderWithProperties(AzurermProvider, {
      resource_provider_registrations: "none",
      resource_providers_to_register: expect.arrayContaining(["Microsoft.ContainerInstance", "Microsoft.ContainerService", "Microsoft.KeyVault"]),
    });
    expect(json.provider!.azurerm[0].features).toHaveLength(1);
  });

  it("requires the Terraform version the app is built for", () => {
    expect(json.terraform.required_version).toBe(">= 1.11");
  });

  it("keeps local state at the project root, by a path relative to the stack directory", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.integ-network.tfstate" } });
  });
});

describe("network stack of a prod deployment", () => {
  it("outputs the prod hosts, replicas included, and none of integ's", () => {
    // GIVEN a prod deployment WHEN its network stack is synthesized
    const { json } = synthOf(appWith(deployment({ name: "prod", environment: "prod" })), "prod-network");
    // THEN the allowlist holds exactly the six prod hosts
    expect(json.output!.egress_allowlist.value).toEqual([
      "core-prod.uidapi.com",
      "optout-prod.uidapi.com",
      "uid2-core-prod-store.s3.us-east-2.amazonaws.com",
      "uid2-core-prod-store-replica.s3.us-west-2.amazonaws.com",
      "uid2-optout-prod-store.s3.us-east-2.amazonaws.com",
      "uid2-optout-prod-store-replica.s3.us-west-2.amazonaws.com",
    ]);
  });

  it.each(["SECURITY.md", "README.md"])("lists the same hosts as %s's table, environment by environment", (document) => {
    const text = readFileSync(path.join(PROJECT_ROOT, document), "utf8");
    for (const environment of ["integ", "prod"] as const) {
      const row = text.split("\n").find((line) => line.startsWith(`| \`${environment}\` | \`core-`))!;
      const hosts = [...row.matchAll(/`([a-z0-9.-]+\.[a-z]+)`/g)].map((match) => match[1]);
      expect(hosts).toEqual(EGRESS_HOSTS[environment]);
    }
  });
});

describe("network stack with custom settings", () => {
  it("uses the configured address plan, idle timeout, names and extra tags", () => {
    // GIVEN a deployment with its own network and names
    const d = deployment({
      namePrefix: "acme",
      names: { virtualNetwork: "my-vnet" },
      network: { addressSpace: ["172.16.0.0/12"], defaultSubnet: "172.16.0.0/24", aksSubnet: "172.17.0.0/16", containerGroupSubnet: "172.18.0.0/16", natIdleTimeoutMinutes: 10 },
      tags: { owner: "platform" },
    });
    // WHEN synthesized
    const { text, json } = synthOf(appWith(d), "integ-network");
    // THEN the settings reach the resources
    expect(text).toHaveResourceWithProperties(ResourceGroup, { name: "rg-acme-uid2-integ" });
    expect(text).toHaveResourceWithProperties(VirtualNetwork, { name: "my-vnet", address_space: ["172.16.0.0/12"] });
    expect(text).toHaveResourceWithProperties(Subnet, { name: "cg", address_prefixes: ["172.18.0.0/16"] });
    expect(text).toHaveResourceWithProperties(NatGateway, { idle_timeout_in_minutes: 10 });
    expect(onlyResource(json, "azurerm_resource_group").tags).toMatchObject({ owner: "platform", deployment: "integ" });
  });

  it("adds the Key Vault service endpoint to cg when the vault is network-restricted", () => {
    // GIVEN secrets.restrictNetwork WHEN synthesized THEN cg carries the Microsoft.KeyVault endpoint
    const { text } = synthOf(appWith(deployment({ secrets: { restrictNetwork: true } })), "integ-network");
    expect(text).toHaveResourceWithProperties(Subnet, { name: "cg", service_endpoints: ["Microsoft.KeyVault"] });
  });
});

describe("network stack: the cluster's Kubernetes version checked before anything is created", () => {
  // GIVEN a deployment on 1.35 WHEN its network stack, the first one deployed, is synthesized
  const { text, json } = synthOf(appWith(deployment({ cluster: { kubernetesVersion: "1.35" } })), "integ-network");
  const precondition = () => onlyResource(json, "azurerm_resource_group").lifecycle.precondition;

  it("asks AKS, in the deployment's region, for the non-preview patch versions of the configured minor", () => {
    expect(text).toHaveDataSourceWithProperties(DataAzurermKubernetesServiceVersions, { location: "eastus", version_prefix: "1.35.", include_preview: false });
  });

  it("refuses the plan of the resource group, the first resource, unless the region offers that minor", () => {
    const [ofMinor] = Object.entries(json.data!.azurerm_kubernetes_service_versions).find(([, source]) => source.version_prefix === "1.35.")!;
    expect(precondition()).toHaveLength(1);
    expect(precondition()[0].condition).toBe(`\${(length(data.azurerm_kubernetes_service_versions.${ofMinor}.versions) >= 1)}`);
    expect(precondition()[0].error_message).toContain("AKS does not offer Kubernetes 1.35 in eastus");
    expect(precondition()[0].error_message).toContain("Set cluster.kubernetesVersion of deployment integ to an offered version");
  });

  it("says the same as the cluster stack's check", () => {
    const cluster = synthOf(appWith(deployment({ cluster: { kubernetesVersion: "1.35" } })), "integ-cluster").json;
    const clusterMessage: string = onlyResource(cluster, "azurerm_kubernetes_cluster").lifecycle.precondition[0].error_message;
    // (both name the configured region; only the data sources' addresses differ)
    expect(precondition()[0].error_message.replace(/\$\{data[^}]+\}/g, "<answer>")).toBe(clusterMessage.replace(/\$\{data\.azurerm[^}]+\}/g, "<answer>"));
  });
});
