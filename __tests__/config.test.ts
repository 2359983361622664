import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { configFileFromEnvironment, DEFAULT_CONFIG_FILE, loadConfig, resolveConfig } from "../lib/config/load";
import { ConfigError } from "../lib/config/problems";
import { deployment, entry, problemsOf, problemsOfDeployment } from "./support/config";

function tempFile(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "uid2-config-")), name);
  writeFileSync(file, content);
  return file;
}

function loadProblems(file: string): readonly string[] {
  try {
    loadConfig(file);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe("configuration file", () => {
  it("reads config/deployments.json by default and the UID2_CONFIG file when set", () => {
    expect(configFileFromEnvironment({})).toBe(DEFAULT_CONFIG_FILE);
    expect(configFileFromEnvironment({ UID2_CONFIG: "/tmp/other.json" })).toBe("/tmp/other.json");
  });

  it("the committed configuration defines integ and prod in eastus", () => {
    // GIVEN the committed file WHEN loaded THEN two valid deployments come out
    const { deployments } = loadConfig(DEFAULT_CONFIG_FILE);
    expect(deployments.map((d) => [d.name, d.environment, d.location])).toEqual([
      ["integ", "integ", "eastus"],
      ["prod", "prod", "eastus"],
    ]);
  });

  it("reports a missing file with its path", () => {
    expect(loadProblems("/nonexistent/deployments.json")).toEqual([
      "/nonexistent/deployments.json: configuration file does not exist (set UID2_CONFIG to another file, or create it)",
    ]);
  });

  it("reports a file that is not JSON with its path, line and column", () => {
    const file = tempFile("broken.json", '{ "deployments": [ }');
    expect(loadProblems(file)).toEqual([`${file}:1:20: not valid JSON: expected a value but found "}"`]);
  });
});

describe("built-in defaults reproduce the guide", () => {
  const d = deployment();

  it("fills the address plan of the guide", () => {
    expect(d.network).toEqual({
      addressSpace: ["10.0.0.0/8"],
      defaultSubnet: "10.0.0.0/24",
      aksSubnet: "10.1.0.0/16",
      containerGroupSubnet: "10.2.0.0/16",
      natIdleTimeoutMinutes: 4,
    });
  });

  it("derives valid, distinct names from namePrefix and name", () => {
    expect(d.names).toEqual({
      resourceGroup: "rg-uid2-integ",
      virtualNetwork: "vnet-uid2-integ",
      publicIp: "pip-uid2-integ-nat",
      natGateway: "ng-uid2-integ",
      cluster: "aks-uid2-integ",
      keyVault: "kv-uid2-integ",
      operatorKeySecret: "uid2-operator-key",
      managedIdentity: "id-uid2-integ-operator",
      monitorWorkspace: "amw-uid2-integ",
      actionGroup: "ag-uid2-integ",
      applicationInsights: "appi-uid2-integ",
      logAnalyticsWorkspace: "log-uid2-integ",
      tfcIdentity: "id-uid2-integ-tfc",
    });
    expect(deployment({ namePrefix: "acme" }).names.resourceGroup).toBe("rg-acme-uid2-integ");
  });

  it("fits the default Key Vault name into 24 characters", () => {
    const long = deployment({ name: "production-eastus-2", namePrefix: "contosoadtec" });
    expect(long.names.keyVault.length).toBeLessThanOrEqual(24);
    expect(long.names.keyVault).toMatch(/^kv-contosoadtec-[a-z0-9-]*[a-z0-9]-[0-9a-f]{6}$/);
    expect(deployment({ name: "production-westus-2", namePrefix: "contosoadtec" }).names.keyVault).not.toBe(long.names.keyVault);
  });

  it("uses the local backend, no extra tags and the sample manifest", () => {
    expect(d.backend).toEqual({ type: "local" });
    expect(d.tags).toEqual({});
    expect(d.operator).toEqual({ manifestPath: "operator/sample-operator.yaml", namespace: "default", extraKinds: [], exposure: "public", allowedSourceRanges: [] });
  });
});

describe("layering", () => {
  it("deep-merges a deployment over defaults over the built-in values", () => {
    // GIVEN defaults that change one network value and a deployment that changes another
    const d = deployment({ network: { natIdleTimeoutMinutes: 10 } }, { network: { aksSubnet: "10.5.0.0/16" }, tags: { owner: "ops" } });
    // THEN both apply and the rest keeps the built-in values
    expect(d.network.aksSubnet).toBe("10.5.0.0/16");
    expect(d.network.natIdleTimeoutMinutes).toBe(10);
    expect(d.network.defaultSubnet).toBe("10.0.0.0/24");
    expect(d.tags).toEqual({ owner: "ops" });
  });

  it("replaces arrays instead of merging them", () => {
    const d = deployment({ network: { addressSpace: ["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"] } }, { network: { addressSpace: ["10.0.0.0/12"] } });
    expect(d.network.addressSpace).toEqual(["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"]);
  });

  it("merges backend settings of the same type and starts afresh on another type", () => {
    const defaults = { backend: { type: "cloud", organization: "acme" } };
    expect(deployment({ backend: { workspacePrefix: "uid2-" } }, defaults).backend).toEqual({
      type: "cloud", organization: "acme", workspacePrefix: "uid2-", hostname: "app.terraform.io", executionMode: "remote",
    });
    expect(deployment({ backend: { type: "local" } }, defaults).backend).toEqual({ type: "local" });
  });

  it("protects the vault by default in prod only", () => {
    expect(deployment({ environment: "prod", name: "prod" }).secrets.protect).toBe(true);
    expect(deployment().secrets.protect).toBe(false);
  });

  it("returns the warnings separately from errors", () => {
    // GIVEN a supported region outside the confidential-pod list
    const { warnings } = resolveConfig({ deployments: [entry({ location: "centralus" })] }, "test.json");
    expect(warnings).toContain(
      'integ: location "centralus" is not a region where confidential pods on virtual nodes can start (centralindia, eastasia, eastus, eastus2, japaneast, southcentralus, southeastasia, uaenorth, westus, westus2); the operator pods would stay pending',
    );
  });
});

describe("top-level and identity validation", () => {
  it.each<[string, unknown, string[]]>([
    ["deployments missing", {}, ["test.json: deployments is required"]],
    ["deployments empty", { deployments: [] }, ['test.json: deployments [] must list at least one deployment']],
    ["deployments not a list", { deployments: {} }, ["test.json: deployments {} must be a list"]],
    ["unknown top-level key", { deployments: [entry()], deployment: [] }, ['test.json: deployment is not a known setting (did you mean "deployments"?); allowed here: $schema, defaults, deployments']],
    ["file not an object", [], ["test.json: (top level) [] must be a object"]],
  ])("%s", (_case, file, expected) => {
    expect(problemsOf(file)).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["missing name", { name: undefined }, "deployments[0]: name is required"],
    ["empty name", { name: "" }, 'deployments[0]: name "" must not be empty'],
    ["name with capitals", { name: "Integ" }, 'Integ: name "Integ" must be 1-20 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (it prefixes stack ids and Azure names)'],
    ["name too long", { name: "a".repeat(21) }, `${"a".repeat(21)}: name "${"a".repeat(21)}" must be 1-20 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (it prefixes stack ids and Azure names)`],
    ["bad environment", { environment: "staging" }, 'integ: environment "staging" must be one of: integ, prod'],
    ["environment of wrong type", { environment: 1 }, "integ: environment 1 must be one of: integ, prod"],
    ["location in Europe", { location: "westeurope" }, 'integ: location "westeurope" is in Europe or China, where UID2 does not support a Private Operator on AKS; use one of: centralindia, eastasia, eastus, eastus2, japaneast, southcentralus, southeastasia, uaenorth, westus, westus2'],
    ["location in China", { location: "chinanorth3" }, 'integ: location "chinanorth3" is in Europe or China, where UID2 does not support a Private Operator on AKS; use one of: centralindia, eastasia, eastus, eastus2, japaneast, southcentralus, southeastasia, uaenorth, westus, westus2'],
    ["location not a region", { location: "East US" }, 'integ: location "East US" is not an Azure region name (lowercase, no spaces, as "az account list-locations" prints it); for example: centralindia, eastasia, eastus, eastus2, japaneast, southcentralus, southeastasia, uaenorth, westus, westus2'],
    ["unknown deployment key", { enviroment: "integ" }, 'integ: enviroment is not a known setting (did you mean "environment"?); allowed here: name, environment, location, namePrefix, names, network, cluster, secrets, virtualNode, operator, monitoring, backend, tags'],
    ["unknown group key", { network: { aksSubnets: "10.1.0.0/16" } }, 'integ: network.aksSubnets is not a known setting (did you mean "aksSubnet"?); allowed here: addressSpace, defaultSubnet, aksSubnet, containerGroupSubnet, natIdleTimeoutMinutes'],
    ["group of wrong type", { cluster: "big" }, 'integ: cluster "big" must be a object'],
    ["tags of wrong type", { tags: { owner: 7 } }, "integ: tags.owner 7 must be a string"],
  ])("refuses %s", (_case, overrides, expected) => {
    expect(problemsOfDeployment(overrides)).toEqual([expected]);
  });

  it("refuses a bad namePrefix (and the names derived from it)", () => {
    expect(problemsOfDeployment({ namePrefix: "Acme_" })).toContain(
      'integ: namePrefix "Acme_" must be empty or 1-12 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
    );
  });

  it("names a problem in defaults as defaults", () => {
    expect(problemsOfDeployment({}, { network: { natIdleTimeoutMinutes: 200 } })).toEqual([
      "defaults: network.natIdleTimeoutMinutes 200 must be at most 120",
    ]);
  });

  it("refuses duplicate deployment names", () => {
    expect(problemsOf({ deployments: [entry(), entry({ location: "westus2" })] })).toContain(
      'integ: name "integ" is used by deployments[0] and deployments[1]; deployment names must be unique (they prefix stack ids)',
    );
  });

  it("refuses a deployment name that another begins with, followed by a hyphen: one stack glob would select both", () => {
    // GIVEN prod and prod-west, whose stacks 'prod-*' both match
    const problems = problemsOf({ deployments: [entry({ name: "prod", environment: "prod" }), entry({ name: "prod-west", environment: "prod", location: "westus2" })] });
    // THEN the longer name is refused, with the glob that would go wrong and names that work
    expect(problems).toEqual([
      `prod-west: name "prod-west" begins with "prod-", the name of another deployment followed by a hyphen: a stack glob such as 'prod-*' (npx cdktf deploy 'prod-*') would select the stacks of both deployments; rename one so that no name is another's followed by "-", for example "prod-main" and "prod-west"`,
    ]);
  });

  it("accepts names that share a start without one being the other followed by a hyphen", () => {
    expect(problemsOf({ deployments: [entry({ name: "prod" }), entry({ name: "production" }), entry({ name: "prod-east" }), entry({ name: "prod-west" })] }).filter((p) => p.includes("glob"))).toEqual([
      expect.stringContaining('prod-east: name "prod-east" begins with "prod-"'),
      expect.stringContaining('prod-west: name "prod-west" begins with "prod-"'),
    ]);
    expect(problemsOf({ deployments: [entry({ name: "prod" }), entry({ name: "production" })] })).toEqual([]);
    expect(problemsOf({ deployments: [entry({ name: "prod-east" }), entry({ name: "prod-west" })] })).toEqual([]);
  });

  it("refuses two deployments that would share a resource group or a Key Vault", () => {
    const problems = problemsOf({
      defaults: { namePrefix: "acme" },
      deployments: [entry(), entry({ name: "integ2", names: { resourceGroup: "rg-acme-uid2-integ", keyVault: "kv-acme-uid2-integ" } })],
    });
    expect(problems).toEqual([
      'integ2: names.resourceGroup "rg-acme-uid2-integ" is also used by deployment "integ"; each deployment needs its own',
      'integ2: names.keyVault "kv-acme-uid2-integ" is also used by deployment "integ"; each deployment needs its own',
    ]);
  });

  it("does not mistake a vault name completed with its own subscription suffix for a configured one", () => {
    // integ's vault is kv-uid2-integ-<6 hex digits>, not the kv-uid2-integ that integ2 asks for
    expect(problemsOf({ deployments: [entry(), entry({ name: "integ2", names: { keyVault: "kv-uid2-integ" } })] })).toEqual([]);
  });

  it("checks the rules of the deployments the schema accepts, beside the schema problems of the others", () => {
    // GIVEN one deployment with a rule problem and another with a schema problem
    const problems = problemsOf({ deployments: [entry({ location: "westeurope" }), entry({ name: "prod", environment: "prod", cluster: { maxCount: "8" } })] });
    // THEN both are reported in the same run
    expect(problems).toEqual([
      'prod: cluster.maxCount "8" must be a number',
      expect.stringMatching(/^integ: location "westeurope" is in Europe or China/),
    ]);
  });

  it("checks names across all deployments even when some fail the schema", () => {
    const problems = problemsOf({ deployments: [entry({ name: "prod", environment: "prod", tags: [] }), entry({ name: "prod-west", environment: "prod" })] });
    expect(problems).toEqual([
      "prod: tags [] must be a record",
      expect.stringMatching(/^prod-west: name "prod-west" begins with "prod-"/),
    ]);
  });

  it("checks no rules while the shared defaults fail the schema, since every deployment inherits them", () => {
    expect(problemsOf({ defaults: { cluster: { maxCount: 0 } }, deployments: [entry({ location: "westeurope" })] })).toEqual([
      "defaults: cluster.maxCount 0 must be at least 1",
    ]);
  });

  it("reports every problem of a file in one run", () => {
    const problems = problemsOf({ deployments: [entry({ location: "uksouth", network: { natIdleTimeoutMinutes: 2 } }), entry({ name: "prod", environment: "qa" })] });
    expect(problems).toHaveLength(2);
    expect(problems).toEqual(expect.arrayContaining([
      "integ: network.natIdleTimeoutMinutes 2 must be at least 4",
      'prod: environment "qa" must be one of: integ, prod',
    ]));
  });
});

describe("network validation", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["address space entry not a CIDR", { addressSpace: ["10.0.0.0"] }, 'integ: network.addressSpace[0] "10.0.0.0" must be an IPv4 CIDR a.b.c.d/n with no host bits set (e.g. 10.1.0.0/16)'],
    ["address space with host bits", { addressSpace: ["10.0.0.1/8"] }, 'integ: network.addressSpace[0] "10.0.0.1/8" must be written 10.0.0.0/8: a CIDR names its network address, with no host bits set and no leading zeros'],
    ["address space with a leading zero", { addressSpace: ["10.0.0.0/08"] }, 'integ: network.addressSpace[0] "10.0.0.0/08" must be written 10.0.0.0/8: a CIDR names its network address, with no host bits set and no leading zeros'],
    ["address space empty", { addressSpace: [] }, "integ: network.addressSpace [] must list at least one CIDR"],
    ["address space entries overlapping", { addressSpace: ["10.0.0.0/8", "10.1.0.0/16"] }, 'integ: network.addressSpace[1] "10.1.0.0/16" overlaps 10.0.0.0/8 in the same address space'],
    ["subnet not a CIDR", { aksSubnet: "10.1.0.0/33" }, 'integ: network.aksSubnet "10.1.0.0/33" must be an IPv4 CIDR a.b.c.d/n with no host bits set (e.g. 10.1.0.0/16)'],
    ["subnet with an octet over 255", { defaultSubnet: "10.0.256.0/24" }, 'integ: network.defaultSubnet "10.0.256.0/24" must be an IPv4 CIDR a.b.c.d/n with no host bits set (e.g. 10.1.0.0/16)'],
    ["subnet outside the address space", { containerGroupSubnet: "192.168.0.0/16" }, 'integ: network.containerGroupSubnet "192.168.0.0/16" must lie inside network.addressSpace 10.0.0.0/8'],
    ["subnets overlapping", { containerGroupSubnet: "10.1.128.0/17" }, 'integ: network.containerGroupSubnet "10.1.128.0/17" overlaps network.aksSubnet 10.1.0.0/16; the subnets must not overlap'],
    ["subnet smaller than /29", { defaultSubnet: "10.0.0.0/30" }, 'integ: network.defaultSubnet "10.0.0.0/30" is too small: Azure subnets are /29 or larger'],
    ["idle timeout under 4", { natIdleTimeoutMinutes: 3 }, "integ: network.natIdleTimeoutMinutes 3 must be at least 4"],
    ["idle timeout over 120", { natIdleTimeoutMinutes: 121 }, "integ: network.natIdleTimeoutMinutes 121 must be at most 120"],
    ["idle timeout not whole", { natIdleTimeoutMinutes: 4.5 }, "integ: network.natIdleTimeoutMinutes 4.5 must be a whole number"],
    ["idle timeout a string", { natIdleTimeoutMinutes: "4" }, 'integ: network.natIdleTimeoutMinutes "4" must be a number'],
  ])("refuses %s", (_case, network, expected) => {
    expect(problemsOfDeployment({ network })).toEqual([expected]);
  });

  it("accepts a plan that keeps the subnets inside several address-space entries", () => {
    expect(problemsOfDeployment({ network: { addressSpace: ["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"] } })).toEqual([]);
  });
});

describe("resource name validation", () => {
  it.each<[string, string, string]>([
    ["resourceGroup", "rg.", "must be 1-90 characters: letters, digits, underscores, hyphens, periods and parentheses, not ending with a period"],
    ["virtualNetwork", "-vnet", "must be 2-64 characters: letters, digits, underscores, hyphens and periods; start with a letter or digit and end with a letter, digit or underscore"],
    ["publicIp", "pip!", "must be 1-80 characters: letters, digits, underscores, hyphens and periods; start with a letter or digit and end with a letter, digit or underscore"],
    ["natGateway", "n".repeat(81), "must be 1-80 characters: letters, digits, underscores, hyphens and periods; start with a letter or digit and end with a letter, digit or underscore"],
  ])("refuses names.%s %j", (key, value, allowed) => {
    expect(problemsOfDeployment({ names: { [key]: value } })).toEqual([`integ: names.${key} ${JSON.stringify(value).length > 120 ? JSON.stringify(value).slice(0, 117) + "..." : JSON.stringify(value)} ${allowed}`]);
  });

  it("refuses an empty name", () => {
    expect(problemsOfDeployment({ names: { publicIp: "" } })).toEqual(['integ: names.publicIp "" must not be empty']);
  });
});
