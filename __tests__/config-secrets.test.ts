import { resolveConfig } from "../lib/config/load";
import { deployment, entry, problemsOf, problemsOfDeployment } from "./support/config";

const KEY_VAULT_RULE = "must be 3-24 characters: letters, digits and hyphens, starting with a letter and ending with a letter or digit";
const SECRET_RULE = "must be 1-127 characters: letters, digits and hyphens";
const IDENTITY_RULE = "must be 3-128 characters: letters, digits, hyphens and underscores, starting with a letter or digit";

/** How messages show a value longer than 120 characters of JSON. */
const shortened = (name: string) => `"${name.slice(0, 116)}...`;

describe("Key Vault name", () => {
  it.each([
    ["too short", "kv"],
    ["too long", "k".repeat(25)],
    ["starting with a digit", "1kv-uid2"],
    ["ending with a hyphen", "kv-uid2-"],
    ["with an underscore", "kv_uid2"],
    ["with a period", "kv.uid2"],
  ])("rejects a name %s", (_case, name) => {
    // GIVEN names.keyVault set to a bad name WHEN validated THEN the rule is named
    expect(problemsOfDeployment({ names: { keyVault: name } })).toEqual([`integ: names.keyVault "${name}" ${KEY_VAULT_RULE}`]);
  });

  it("rejects consecutive hyphens", () => {
    expect(problemsOfDeployment({ names: { keyVault: "kv--uid2" } })).toEqual(['integ: names.keyVault "kv--uid2" must not contain consecutive hyphens']);
  });

  it("accepts a name of exactly 24 characters", () => {
    expect(problemsOfDeployment({ names: { keyVault: `kv${"a".repeat(22)}` } })).toEqual([]);
  });
});

describe("default Key Vault name", () => {
  it("without namePrefix, ends in a suffix unique to the subscription, so fresh clones do not collide", () => {
    // GIVEN neither namePrefix nor names.keyVault WHEN resolved
    const d = deployment();
    // THEN the configured name is only the vault name's start, completed at plan time
    expect(d.names.keyVault).toBe("kv-uid2-integ");
    expect(d.keyVaultSubscriptionSuffix).toBe(true);
  });

  it("with namePrefix or names.keyVault set, is exactly the name", () => {
    expect(deployment({ namePrefix: "acme" })).toMatchObject({ names: { keyVault: "kv-acme-uid2-integ" }, keyVaultSubscriptionSuffix: false });
    expect(deployment({ names: { keyVault: "kv-mine" } })).toMatchObject({ names: { keyVault: "kv-mine" }, keyVaultSubscriptionSuffix: false });
    expect(deployment({}, { names: { keyVault: "kv-shared-default" } }).keyVaultSubscriptionSuffix).toBe(false);
  });

  it("leaves room for the suffix: the longest deployment name without a prefix stays within the rules", () => {
    // GIVEN the longest deployment names, one cut on a hyphen WHEN resolved
    for (const name of ["a-very-long-name-001", "abcdefgh-ijklmnopqrs", "abcdefghijklmnopqrst"]) {
      const d = deployment({ name });
      // THEN name, hyphen and six hex digits fit 24 characters, start with a letter, end with neither hyphen
      expect(`${d.names.keyVault}-0a1b2c`.length).toBeLessThanOrEqual(24);
      expect(d.names.keyVault).toMatch(/^kv-uid2-[a-z0-9-]*[a-z0-9]$/);
      expect(d.names.keyVault).not.toContain("--");
      expect(problemsOfDeployment({ name })).toEqual([]);
    }
  });

  it("checks the suffixed name against the rules, with the suffix's place shown", () => {
    expect(problemsOfDeployment({ name: "ab--cd" })).toEqual(['ab--cd: names.keyVault "kv-uid2-ab--cd-<6 hex digits>" must not contain consecutive hyphens']);
  });

  it("fits 24 characters for the longest prefix and deployment name", () => {
    // GIVEN the longest allowed namePrefix and name WHEN resolved
    const d = deployment({ name: "a-very-long-name-001", namePrefix: "acmecorporat" });
    // THEN the derived vault name is shortened, valid and still recognisable
    expect(d.names.keyVault.length).toBeLessThanOrEqual(24);
    expect(d.names.keyVault).toMatch(/^kv-acmecorporat-/);
  });

  it("gives two long deployment names distinct vaults", () => {
    // GIVEN two deployments whose names differ only past the shortened part
    const file = {
      defaults: { namePrefix: "acmecorporat" },
      deployments: [entry({ name: "a-very-long-name-001" }), entry({ name: "a-very-long-name-002" })],
    };
    // WHEN resolved THEN both pass, with different vault names
    const [first, second] = resolveConfig(file, "test.json").deployments;
    expect(first.names.keyVault).not.toBe(second.names.keyVault);
    expect(problemsOf(file)).toEqual([]);
  });

  it("drops a hyphen at the cut so the name has no consecutive hyphens", () => {
    // GIVEN a name whose cut falls on a hyphen WHEN resolved THEN the name is valid
    const d = deployment({ name: "abc-defghijklmnopqr", namePrefix: "acme" });
    expect(d.names.keyVault).toMatch(/^kv-acme-uid2-abc-[0-9a-f]{6}$/);
  });
});

describe("operator key secret name", () => {
  it("rejects characters other than letters, digits and hyphens", () => {
    expect(problemsOfDeployment({ names: { operatorKeySecret: "opr_key" } })).toEqual([`integ: names.operatorKeySecret "opr_key" ${SECRET_RULE}`]);
  });

  it("rejects a name over 127 characters", () => {
    const name = "k".repeat(128);
    expect(problemsOfDeployment({ names: { operatorKeySecret: name } })).toEqual([`integ: names.operatorKeySecret ${shortened(name)} ${SECRET_RULE}`]);
  });
});

describe("managed identity name", () => {
  it.each([
    ["too short", "id"],
    ["starting with a hyphen", "-id-operator"],
    ["with a period", "id.operator"],
  ])("rejects a name %s", (_case, name) => {
    expect(problemsOfDeployment({ names: { managedIdentity: name } })).toEqual([`integ: names.managedIdentity "${name}" ${IDENTITY_RULE}`]);
  });

  it("rejects a name over 128 characters", () => {
    const name = "i".repeat(129);
    expect(problemsOfDeployment({ names: { managedIdentity: name } })).toEqual([`integ: names.managedIdentity ${shortened(name)} ${IDENTITY_RULE}`]);
  });
});

describe("secrets settings", () => {
  it("rejects operatorKeyVersion 0", () => {
    expect(problemsOfDeployment({ secrets: { operatorKeyVersion: 0 } })).toEqual(["integ: secrets.operatorKeyVersion 0 must be at least 1"]);
  });

  it("rejects a fractional operatorKeyVersion", () => {
    expect(problemsOfDeployment({ secrets: { operatorKeyVersion: 1.5 } })).toEqual(["integ: secrets.operatorKeyVersion 1.5 must be a whole number"]);
  });

  it.each([
    [6, "must be at least 7"],
    [91, "must be at most 90"],
  ])("rejects softDeleteRetentionDays %d", (days, allowed) => {
    expect(problemsOfDeployment({ secrets: { softDeleteRetentionDays: days } })).toEqual([`integ: secrets.softDeleteRetentionDays ${days} ${allowed}`]);
  });

  it("rejects an allowedIps entry that is no address or CIDR", () => {
    expect(problemsOfDeployment({ secrets: { restrictNetwork: true, allowedIps: ["203.0.113.7", "not-an-ip"] } })).toEqual([
      'integ: secrets.allowedIps[1] "not-an-ip" must be an IPv4 address (e.g. 203.0.113.7) or CIDR (e.g. 203.0.113.0/24)',
    ]);
  });

  it("rejects a /32 in allowedIps, which Key Vault refuses", () => {
    expect(problemsOfDeployment({ secrets: { restrictNetwork: true, allowedIps: ["203.0.113.7/32"] } })).toEqual([
      'integ: secrets.allowedIps[0] "203.0.113.7/32" must be a single address instead: Key Vault accepts CIDRs up to /30',
    ]);
  });

  it.each<[string, string, string]>([
    ["every address", "0.0.0.0/0", 'integ: secrets.allowedIps[0] "0.0.0.0/0" is wider than /16 (4294967296 addresses): with secrets.restrictNetwork it lets that much of the internet through the vault\'s firewall, which defeats it'],
    ["a /12", "198.16.0.0/12", 'integ: secrets.allowedIps[0] "198.16.0.0/12" is wider than /16 (1048576 addresses)'],
    ["a private range", "10.0.0.0/8", 'integ: secrets.allowedIps[0] "10.0.0.0/8" lies in the non-public range 10.0.0.0/8: the vault\'s firewall sees callers by their public address, Azure refuses private ranges in Key Vault IP rules'],
    ["a private address", "192.168.1.10", 'integ: secrets.allowedIps[0] "192.168.1.10" lies in the non-public range 192.168.0.0/16'],
    ["a carrier-NAT range", "100.64.0.0/16", 'integ: secrets.allowedIps[0] "100.64.0.0/16" lies in the non-public range 100.64.0.0/10'],
  ])("warns, saying why, about allowedIps holding %s with restrictNetwork", (_case, allowed, warning) => {
    // GIVEN a restricted vault WHEN the entry is too wide or not public THEN it is accepted with a warning
    const { warnings } = resolveConfig({ deployments: [entry({ secrets: { restrictNetwork: true, allowedIps: ["203.0.113.7", allowed] } })] }, "test.json");
    expect(warnings.filter((w) => w.includes("secrets.allowedIps"))).toEqual([expect.stringContaining(warning.replace("[0]", "[1]"))]);
  });

  it("gives no breadth warning for a public /16 or a single public address", () => {
    const { warnings } = resolveConfig({ deployments: [entry({ secrets: { restrictNetwork: true, allowedIps: ["203.0.0.0/16", "198.51.100.7"] } })] }, "test.json");
    expect(warnings.filter((w) => w.includes("secrets.allowedIps"))).toEqual([]);
  });

  it("warns that allowedIps does nothing without restrictNetwork", () => {
    // GIVEN allowedIps on an open vault WHEN resolved THEN it is valid, with a warning
    const { warnings } = resolveConfig({ deployments: [entry({ secrets: { allowedIps: ["203.0.113.7"] } })] }, "test.json");
    expect(warnings).toContain('integ: secrets.allowedIps ["203.0.113.7"] has no effect unless secrets.restrictNetwork is true');
  });
});
