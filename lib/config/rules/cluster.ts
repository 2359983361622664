import { contains, overlaps, parseIpv4, type Ipv4Range } from "../cidr";
import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";
import { cidrSetting } from "./network";

const VERSION = /^\d+\.\d+(\.\d+)?$/;
const PATCH_LEVEL = /^\d+\.\d+\.\d+$/;
const NODE_POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
const DNS_PREFIX = /^[A-Za-z0-9]([A-Za-z0-9-]{0,52}[A-Za-z0-9])?$/;

/** Guide, "Create an AKS Service", with the drift pitfalls of facts.md. */
export function checkCluster(d: DeploymentConfig, report: DeploymentReporter, space: readonly Ipv4Range[]): void {
  const c = d.cluster;
  if (!VERSION.test(c.kubernetesVersion)) {
    report.error("cluster.kubernetesVersion", c.kubernetesVersion, 'must be "major.minor" or "major.minor.patch" (e.g. "1.33")');
  } else if (c.upgradeChannel === "patch" && PATCH_LEVEL.test(c.kubernetesVersion)) {
    const minor = c.kubernetesVersion.split(".").slice(0, 2).join(".");
    report.error("cluster.kubernetesVersion", c.kubernetesVersion, `must be major.minor ("${minor}") with cluster.upgradeChannel "patch": AKS upgrades the patch version itself, and a pinned patch would make every later plan try to downgrade the cluster`);
  }
  if (!NODE_POOL_NAME.test(c.nodePoolName)) {
    report.error("cluster.nodePoolName", c.nodePoolName, "must be 1-12 lowercase letters and digits, starting with a letter");
  }
  if (!DNS_PREFIX.test(c.dnsPrefix)) {
    report.error("cluster.dnsPrefix", c.dnsPrefix, "must be 1-54 letters, digits and hyphens, starting and ending with a letter or digit");
  }
  if (c.minCount > c.nodeCount || c.nodeCount > c.maxCount) {
    report.error("cluster.nodeCount", c.nodeCount, `must satisfy cluster.minCount (${c.minCount}) <= cluster.nodeCount <= cluster.maxCount (${c.maxCount})`);
  }
  checkServiceNetwork(d, report, space);
}

/** Kubernetes service addresses: outside the VNet, and a DNS address Kubernetes can hand out. */
function checkServiceNetwork(d: DeploymentConfig, report: DeploymentReporter, space: readonly Ipv4Range[]): void {
  const c = d.cluster;
  const service = cidrSetting(report, "cluster.serviceCidr", c.serviceCidr);
  if (service) {
    const clash = space.find((range) => overlaps(range, service));
    if (clash) {
      report.error("cluster.serviceCidr", c.serviceCidr, `must not overlap network.addressSpace ${clash.text}: service addresses would shadow VNet addresses`);
    }
  }
  const dns = parseIpv4(c.dnsServiceIp);
  if (dns === undefined) {
    report.error("cluster.dnsServiceIp", c.dnsServiceIp, "must be an IPv4 address (e.g. 10.4.0.10)");
  } else if (service && !contains(service, { text: c.dnsServiceIp, first: dns, last: dns })) {
    report.error("cluster.dnsServiceIp", c.dnsServiceIp, `must lie inside cluster.serviceCidr ${c.serviceCidr}`);
  } else if (service && (dns === service.first || dns === service.first + 1)) {
    report.error("cluster.dnsServiceIp", c.dnsServiceIp, `must not be the first address of cluster.serviceCidr ${c.serviceCidr} (the network address, then the Kubernetes API service's)`);
  }
}
