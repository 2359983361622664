/**
 * The cluster's configuration rules (lib/config/rules/cluster.ts, and the cluster name in
 * rules/names.ts): each refusal names the deployment, the dotted path, the value and what is allowed.
 */
import { deployment, entry, problemsOfDeployment, type Json } from "./support/config";
import { resolveConfig } from "../lib/config/load";
import { NEWEST_KNOWN_AKS_MINOR } from "../lib/config/rules/cluster";

/** The configuration is refused with exactly this one message. */
function expectOnly(overrides: Json, message: string): void {
  expect(problemsOfDeployment(overrides)).toEqual([message]);
}

function expectAccepted(overrides: Json): void {
  expect(problemsOfDeployment(overrides)).toEqual([]);
}

describe("cluster.serviceCidr", () => {
  it("accepts the guide's 10.4.0.0/16, which lies inside the VNet's 10.0.0.0/8 but clear of its subnets", () => {
    // GIVEN the defaults WHEN resolved THEN they pass, with the service CIDR inside the address space
    const d = deployment();
    expect(d.cluster.serviceCidr).toBe("10.4.0.0/16");
    expect(d.network.addressSpace).toEqual(["10.0.0.0/8"]);
    expectAccepted({});
  });

  it.each([
    ["network.defaultSubnet", "10.0.0.0/16", "10.0.0.10", "10.0.0.0/24"],
    ["network.aksSubnet", "10.1.0.0/16", "10.1.0.10", "10.1.0.0/16"],
    ["network.containerGroupSubnet", "10.2.0.0/20", "10.2.0.10", "10.2.0.0/16"],
  ])("refuses a service CIDR overlapping %s", (path, serviceCidr, dnsServiceIp, subnet) => {
    // GIVEN service addresses that overlap a subnet WHEN validated THEN AKS's refusal is reported up front
    expectOnly(
      { cluster: { serviceCidr, dnsServiceIp } },
      `integ: cluster.serviceCidr "${serviceCidr}" must not overlap ${path} ${subnet}: service addresses would shadow the VNet's addresses`,
    );
  });

  it("refuses a service CIDR larger than /12", () => {
    expectOnly(
      { cluster: { serviceCidr: "10.32.0.0/11", dnsServiceIp: "10.32.0.10" } },
      'integ: cluster.serviceCidr "10.32.0.0/11" is too large: AKS takes a service CIDR of /12 or smaller',
    );
  });

  it("accepts a /12 service CIDR", () => {
    expectAccepted({ cluster: { serviceCidr: "10.16.0.0/12", dnsServiceIp: "10.16.0.10" } });
  });

  it.each(["10.4.0.0", "10.4.0.0/33", "10.4.0/16"])("refuses %s, which is not a network CIDR", (serviceCidr) => {
    expectOnly(
      { cluster: { serviceCidr } },
      `integ: cluster.serviceCidr "${serviceCidr}" must be an IPv4 CIDR a.b.c.d/n with no host bits set (e.g. 10.1.0.0/16)`,
    );
  });
});

describe("cluster.serviceCidr written otherwise", () => {
  it.each([
    ["host bits", "10.4.0.1/16"],
    ["a prefix length with a leading zero", "10.4.0.0/016"],
  ])("refuses %s, naming the canonical form", (_case, serviceCidr) => {
    expectOnly(
      { cluster: { serviceCidr } },
      `integ: cluster.serviceCidr "${serviceCidr}" must be written 10.4.0.0/16: a CIDR names its network address, with no host bits set and no leading zeros`,
    );
  });
});

describe("cluster.dnsServiceIp", () => {
  it("refuses an address outside the service CIDR", () => {
    expectOnly({ cluster: { dnsServiceIp: "10.5.0.10" } }, 'integ: cluster.dnsServiceIp "10.5.0.10" must lie inside cluster.serviceCidr 10.4.0.0/16');
  });

  it.each(["10.4.0.0", "10.4.0.1"])("refuses %s, the network address or the Kubernetes API service's", (dnsServiceIp) => {
    expectOnly(
      { cluster: { dnsServiceIp } },
      `integ: cluster.dnsServiceIp "${dnsServiceIp}" must not be the first address of cluster.serviceCidr 10.4.0.0/16 (the network address, then the Kubernetes API service's)`,
    );
  });

  it("accepts the next address", () => {
    expectAccepted({ cluster: { dnsServiceIp: "10.4.0.2" } });
  });

  it.each(["10.4.0.256", "10.4.0", "10.4.0.010", "dns"])("refuses %s, which is not an IPv4 address", (dnsServiceIp) => {
    expectOnly({ cluster: { dnsServiceIp } }, `integ: cluster.dnsServiceIp "${dnsServiceIp}" must be an IPv4 address (e.g. 10.4.0.10)`);
  });
});

describe("cluster node counts", () => {
  it.each([
    [{ nodeCount: 6 }, 6, 2, 5],
    [{ nodeCount: 1 }, 1, 2, 5],
    [{ nodeCount: 3, minCount: 4, maxCount: 10 }, 3, 4, 10],
    [{ nodeCount: 3, minCount: 3, maxCount: 2 }, 3, 3, 2],
  ])("refuses %j: the node count must lie between the autoscaler's bounds", (cluster, nodeCount, minCount, maxCount) => {
    expectOnly(
      { cluster },
      `integ: cluster.nodeCount ${nodeCount} must satisfy cluster.minCount (${minCount}) <= cluster.nodeCount <= cluster.maxCount (${maxCount})`,
    );
  });

  it("accepts a node count on either bound", () => {
    expectAccepted({ cluster: { nodeCount: 1, minCount: 1, maxCount: 3 } });
    expectAccepted({ cluster: { nodeCount: 3, minCount: 1, maxCount: 3 } });
  });

  it("refuses a minimum of 0 nodes", () => {
    expectOnly({ cluster: { minCount: 0, nodeCount: 1 } }, "integ: cluster.minCount 0 must be at least 1");
  });
});

describe("cluster.kubernetesVersion", () => {
  it("refuses the guide's pinned patch version with the patch channel, saying why", () => {
    // GIVEN the older guide's 1.29.13 with --auto-upgrade-channel patch (facts.md: it drifts)
    expectOnly(
      // (with a chart whose build fits 1.29, so that this is the only problem)
      { cluster: { kubernetesVersion: "1.29.13", upgradeChannel: "patch" }, virtualNode: { chartVersion: "1.2913.25010101" } },
      'integ: cluster.kubernetesVersion "1.29.13" must be major.minor ("1.29") with cluster.upgradeChannel "patch": AKS upgrades the patch version itself, and a pinned patch would make every later plan try to downgrade the cluster',
    );
  });

  it("accepts a patch version with the stable channel", () => {
    expectAccepted({ cluster: { kubernetesVersion: "1.33.2", upgradeChannel: "stable" } });
  });

  it("accepts major.minor with the patch channel", () => {
    expectAccepted({ cluster: { kubernetesVersion: "1.32", upgradeChannel: "patch" } });
  });

  it.each(["v1.33", "1", "1.33.x", "1.33.2.1", "latest"])("refuses %s, which is not a version", (kubernetesVersion) => {
    expectOnly(
      { cluster: { kubernetesVersion } },
      `integ: cluster.kubernetesVersion "${kubernetesVersion}" must be "major.minor" or "major.minor.patch" (e.g. "1.36")`,
    );
  });
});

describe("cluster.upgradeChannel", () => {
  it("refuses a channel AKS does not have", () => {
    expectOnly({ cluster: { upgradeChannel: "weekly" } }, 'integ: cluster.upgradeChannel "weekly" must be one of: none, patch, stable, rapid, node-image');
  });
});

describe("cluster.nodeVmSize", () => {
  const RULE = 'must be an Azure VM size name such as Standard_D4d_v5 (at most 64 characters; "az vm list-sizes --location <region>" lists them)';

  it.each(["Standard_D4d_v5", "Standard_E8-4ds_v5", "Standard_NC24ads_A100_v4", "Standard_DC4as_cc_v5", "Standard_B2ms", "Basic_A1", "Standard_D2_v2_Promo"])("accepts %s", (nodeVmSize) => {
    expectAccepted({ cluster: { nodeVmSize } });
  });

  it.each([
    ["in lowercase", "standard_d4d_v5"],
    ["without its tier", "D4d_v5"],
    ["with a space", "Standard D4d v5"],
    ["with a line break", "Standard_D4d_v5\nStandard_D8d_v5"],
    ["with template syntax", "Standard_${var.size}"],
  ])("refuses a size %s", (_case, nodeVmSize) => {
    const problems = problemsOfDeployment({ cluster: { nodeVmSize } });
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem.startsWith(`integ: cluster.nodeVmSize ${JSON.stringify(nodeVmSize)} must`)).toBe(true);
  });

  it("refuses 100,000 characters, quoting only the start", () => {
    const nodeVmSize = `Standard_D4d_v5${"_v".repeat(50000)}`;
    expectOnly({ cluster: { nodeVmSize } }, `integ: cluster.nodeVmSize "${nodeVmSize.slice(0, 116)}... ${RULE}`);
  });
});

describe("cluster.nodePoolName", () => {
  it.each([
    ["with uppercase letters", "OprNodePool"],
    ["longer than 12 characters", "oprnodepool12"],
    ["starting with a digit", "1pool"],
    ["with a hyphen", "opr-pool"],
  ])("refuses a name %s", (_, nodePoolName) => {
    expectOnly({ cluster: { nodePoolName } }, `integ: cluster.nodePoolName "${nodePoolName}" must be 1-12 lowercase letters and digits, starting with a letter`);
  });

  it("accepts 12 lowercase letters and digits", () => {
    expectAccepted({ cluster: { nodePoolName: "oprnodepool1" } });
  });
});

describe("names.cluster", () => {
  const allowed = "must be 1-63 characters: letters, digits, underscores and hyphens, starting and ending with a letter or digit";

  it.each([
    ["starting with a hyphen", "-aks"],
    ["ending with a hyphen", "aks-"],
    ["with a period", "aks.uid2"],
    ["longer than 63 characters", `aks-${"x".repeat(60)}`],
  ])("refuses a name %s", (_, cluster) => {
    // GIVEN a valid DNS prefix of its own, so only the name is at fault
    expectOnly({ names: { cluster }, cluster: { dnsPrefix: "uid2" } }, `integ: names.cluster "${cluster}" ${allowed}`);
  });

  it("reports the DNS prefix too when it defaults to a bad cluster name", () => {
    expect(problemsOfDeployment({ names: { cluster: "-aks" } })).toEqual([
      `integ: names.cluster "-aks" ${allowed}`,
      'integ: cluster.dnsPrefix "-aks" must be 1-54 letters, digits and hyphens, starting and ending with a letter or digit',
    ]);
  });

  it("accepts underscores inside the name", () => {
    expectAccepted({ names: { cluster: "aks_uid2" }, cluster: { dnsPrefix: "aks-uid2" } });
  });
});

describe("cluster.dnsPrefix", () => {
  it.each([
    ["starting with a hyphen", "-aks"],
    ["ending with a hyphen", "aks-"],
    ["with an underscore", "aks_uid2"],
    ["longer than 54 characters", "a".repeat(55)],
  ])("refuses a prefix %s", (_, dnsPrefix) => {
    expectOnly({ cluster: { dnsPrefix } }, `integ: cluster.dnsPrefix "${dnsPrefix}" must be 1-54 letters, digits and hyphens, starting and ending with a letter or digit`);
  });

  it("defaults to the cluster name, and accepts 54 characters", () => {
    expect(deployment().cluster.dnsPrefix).toBe("aks-uid2-integ");
    expectAccepted({ cluster: { dnsPrefix: "a".repeat(54) } });
  });
});

describe("cluster.kubernetesVersion beyond what the app knows", () => {
  it("warns for a minor version newer than the newest known, and synthesis goes on", () => {
    // GIVEN a version one minor past the newest the app knows, with a chart build within the skew policy
    const version = `1.${NEWEST_KNOWN_AKS_MINOR + 1}`;
    const { warnings } = resolveConfig({ deployments: [entry({ cluster: { kubernetesVersion: version }, virtualNode: { chartVersion: "1.3508.26091601" } })] }, "test.json");
    // THEN the warning names it and the command that checks it
    expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`^integ: cluster\\.kubernetesVersion "${version.replace(".", "\\.")}" is newer than the newest AKS version this app knows \\(1\\.${NEWEST_KNOWN_AKS_MINOR}\\)`)));
  });
});
