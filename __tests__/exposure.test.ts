/**
 * operator.exposure: who can reach the operator. Only the release's Service changes; the pods,
 * whose spec the confidential-computing policy covers, are the same in every mode.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { resolveConfig } from "../lib/config/load";
import { PROJECT_ROOT } from "../lib/project-root";
import { INTERNAL_LOAD_BALANCER_ANNOTATION } from "../lib/manifest/exposure";
import { readReleaseManifest } from "../lib/manifest/read";
import { deployment, entry, problemsOfDeployment } from "./support/config";
import { RELEASE_1 } from "./support/manifests";
import { appWith, synthOf, type TerraformJson } from "./support/synth";

const DEPLOYMENT = "deployment-operator-deployment";
const SERVICE = "service-operator-svc";
const RANGES = ["203.0.113.0/24", "198.51.100.7/32"];

describe("operator.exposure validation", () => {
  it("defaults to public, the guide's Service", () => {
    expect(deployment().operator.exposure).toBe("public");
  });

  it("refuses an unknown mode", () => {
    expect(problemsOfDeployment({ operator: { exposure: "private" } })).toEqual(['integ: operator.exposure "private" must be one of: public, restricted, internal']);
  });

  it("requires allowedSourceRanges with restricted", () => {
    expect(problemsOfDeployment({ operator: { exposure: "restricted" } })).toEqual([
      "integ: operator.allowedSourceRanges is required with operator.exposure \"restricted\": list the CIDRs that may reach the operator (your network's public ranges, and where the health check runs)",
    ]);
  });

  it.each([
    ["a bare address", "203.0.113.7", "must be an IPv4 CIDR with no host bits set, such as 203.0.113.0/24 (a single address: 203.0.113.7/32)"],
    ["host bits", "203.0.113.7/24", "must be written 203.0.113.0/24: a CIDR names its network address, with no host bits set and no leading zeros"],
    ["a prefix length with a leading zero", "203.0.113.0/024", "must be written 203.0.113.0/24"],
    ["a range wider than /8", "0.0.0.0/1", 'is wider than /8, the largest block any one organization holds'],
    ["a private range", "10.20.0.0/16", "overlaps 10.0.0.0/8, which is never a caller's address as the public load balancer sees it"],
    ["loopback", "127.0.0.1/32", "overlaps 127.0.0.0/8, which is never a caller's address"],
    ["the metadata service's link-local address", "169.254.169.254/32", "overlaps 169.254.0.0/16, which is never a caller's address"],
    ["multicast", "224.0.0.0/8", "overlaps 224.0.0.0/4, which is never a caller's address"],
    ["a duplicate", "198.51.100.0/24", "overlaps operator.allowedSourceRanges[0] 198.51.100.0/24; list each range once"],
    ["a range inside another", "198.51.100.128/25", "overlaps operator.allowedSourceRanges[0] 198.51.100.0/24; list each range once"],
    ["a name", "office", "must be an IPv4 CIDR with no host bits set"],
    ["every address", "0.0.0.0/0", 'admits every address, which is exposure "public"; list your own ranges, or choose operator.exposure "public" deliberately'],
  ])("refuses %s in allowedSourceRanges", (_case, range, rule) => {
    expect(problemsOfDeployment({ operator: { exposure: "restricted", allowedSourceRanges: ["198.51.100.0/24", range] } })).toEqual([
      expect.stringMatching(new RegExp(`^integ: operator\\.allowedSourceRanges\\[1\\] "${range.replace(/[./]/g, "\\$&")}" ${rule.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`)),
    ]);
  });

  it("refuses ranges that together cover every address, each of them a /1", () => {
    expect(problemsOfDeployment({ operator: { exposure: "restricted", allowedSourceRanges: ["0.0.0.0/1", "128.0.0.0/1"] } })).toEqual([
      expect.stringMatching(/^integ: operator\.allowedSourceRanges\[0\] "0\.0\.0\.0\/1" is wider than \/8/),
      expect.stringMatching(/^integ: operator\.allowedSourceRanges\[1\] "128\.0\.0\.0\/1" is wider than \/8/),
    ]);
  });

  it("refuses ranges that together cover more than a /8", () => {
    // GIVEN two public /8s, each acceptable alone
    expect(problemsOfDeployment({ operator: { exposure: "restricted", allowedSourceRanges: ["11.0.0.0/8", "12.0.0.0/8"] } })).toEqual([
      'integ: operator.allowedSourceRanges ["11.0.0.0/8","12.0.0.0/8"] admit 33554432 addresses together, more than a /8 (16777216): that is a large share of the internet, exposure "public" by another name',
    ]);
  });

  it("accepts the README's example as a restricted deployment", () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Choosing who can reach the operator"));
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]);
    const [d] = resolveConfig({ deployments: [example] }, "README.md").deployments;
    expect(d.operator).toMatchObject({ exposure: "restricted", allowedSourceRanges: ["203.0.113.0/24"] });
  });

  it("warns that allowedSourceRanges does nothing unless restricted", () => {
    const { warnings } = resolveConfig({ deployments: [entry({ operator: { exposure: "internal", allowedSourceRanges: RANGES } })] }, "test.json");
    expect(warnings).toContain(`integ: operator.allowedSourceRanges ${JSON.stringify(RANGES)} has no effect unless operator.exposure is "restricted" (it is "internal")`);
  });
});

describe("operator.exposure in the operator stack", () => {
  // GIVEN release-1 deployed in each mode WHEN the operator stack is synthesized
  const synthesized = (operator: Record<string, unknown>): TerraformJson => {
    const d = deployment({ operator: { manifestPath: RELEASE_1, ...operator } });
    return synthOf(appWith(d), "integ-operator").json;
  };
  const modes = {
    public: synthesized({}),
    restricted: synthesized({ exposure: "restricted", allowedSourceRanges: RANGES }),
    internal: synthesized({ exposure: "internal" }),
  };
  const manifestOf = (json: TerraformJson, id: string) => json.resource!.kubernetes_manifest[id];
  const released = readReleaseManifest(RELEASE_1).documents[1].body as Record<string, any>;

  it("sends the Deployment byte for byte the same in every mode", () => {
    const [publicDeployment, ...others] = Object.values(modes).map((json) => JSON.stringify(manifestOf(json, DEPLOYMENT)));
    expect(publicDeployment).toContain('"microsoft.containerinstance.virtualnode.ccepolicy"');
    for (const other of others) expect(other).toBe(publicDeployment);
  });

  it("public: the Service as released", () => {
    expect(manifestOf(modes.public, SERVICE).manifest).toEqual({ ...released, metadata: { ...released.metadata, namespace: "default" } });
  });

  it("restricted: the Service as released, plus loadBalancerSourceRanges", () => {
    expect(manifestOf(modes.restricted, SERVICE).manifest).toEqual({
      ...released,
      metadata: { ...released.metadata, namespace: "default" },
      spec: { ...released.spec, loadBalancerSourceRanges: RANGES },
    });
  });

  it("internal: the Service as released, plus Azure's internal load balancer annotation", () => {
    expect(manifestOf(modes.internal, SERVICE).manifest).toEqual({
      ...released,
      metadata: { ...released.metadata, namespace: "default", annotations: { [INTERNAL_LOAD_BALANCER_ANNOTATION]: "true" } },
    });
  });

  it("waits for the load balancer's address and outputs it as the health check URL in every mode", () => {
    for (const json of Object.values(modes)) {
      expect(manifestOf(json, SERVICE).wait).toEqual(manifestOf(modes.public, SERVICE).wait);
      expect(json.output!.healthcheck_url.value).toBe(modes.public.output!.healthcheck_url.value);
    }
  });

  it("says in the service_ip output which address it is", () => {
    expect(modes.public.output!.service_ip.description).toBe("Public IP address of the operator's LoadBalancer Service.");
    expect(modes.restricted.output!.service_ip.description).toMatch(/reachable only from operator\.allowedSourceRanges/);
    expect(modes.internal.output!.service_ip.description).toMatch(/^Private IP address of the operator's internal load balancer, in the aks subnet/);
  });
});
