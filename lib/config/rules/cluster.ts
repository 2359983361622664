import { contains, overlaps, parseCidr, parseIpv4 } from "../cidr";
import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";
import { cidrSetting, SUBNET_SETTINGS } from "./network";

const VERSION = /^\d+\.\d+(\.\d+)?$/;
/**
 * The newest AKS minor version this app knows of: 1.37, GA in October 2026 (AKS Kubernetes
 * release calendar, as of 2026-12-01; facts.md "Release currency"). `npm run versions` checks
 * the region's live list; a newer minor here is a typo more often than a release.
 */
export const NEWEST_KNOWN_AKS_MINOR = 37;
const PATCH_LEVEL = /^\d+\.\d+\.\d+$/;
const NODE_POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
/** AKS: the service CIDR may be at most a /12. */
const LARGEST_SERVICE_CIDR_BITS = 12;
const DNS_PREFIX = /^[A-Za-z0-9]([A-Za-z0-9-]{0,52}[A-Za-z0-9])?$/;
/**
 * Azure VM size names: tier, family letters, vCPUs, an optional constrained-vCPU count, feature
 * letters, then `_`-separated parts: `Standard_D4d_v5`, `Standard_E8-4ds_v5`, `Standard_NC24ads_A100_v4`.
 */
const VM_SIZE = /^(Standard|Basic)_[A-Z]+[0-9]+(-[0-9]+)?[a-z]*(_[A-Za-z0-9]+)*$/;
const VM_SIZE_MAX_LENGTH = 64;

/** The version's form, its major version, and the pinned-patch drift (facts.md). */
function checkKubernetesVersion(d: DeploymentConfig, report: DeploymentReporter): void {
  const { kubernetesVersion: version, upgradeChannel } = d.cluster;
  const [major, minor] = version.split(".").map(Number);
  if (!VERSION.test(version)) {
    report.error("cluster.kubernetesVersion", version, 'must be "major.minor" or "major.minor.patch" (e.g. "1.36")');
  } else if (major !== 1) {
    report.error("cluster.kubernetesVersion", version, `must be a Kubernetes 1.x version (e.g. "1.${NEWEST_KNOWN_AKS_MINOR - 1}"): there is no Kubernetes ${major}`);
  } else if (upgradeChannel === "patch" && PATCH_LEVEL.test(version)) {
    report.error("cluster.kubernetesVersion", version, `must be major.minor ("1.${minor}") with cluster.upgradeChannel "patch": AKS upgrades the patch version itself, and a pinned patch would make every later plan try to downgrade the cluster`);
  } else if (minor > NEWEST_KNOWN_AKS_MINOR) {
    report.warn("cluster.kubernetesVersion", version, `is newer than the newest AKS version this app knows (1.${NEWEST_KNOWN_AKS_MINOR}); check it with "az aks get-versions --location ${d.location}" or npm run versions, or the plan will stop`);
  }
}

/** Guide, "Create an AKS Service", with the drift pitfalls of facts.md. */
export function checkCluster(d: DeploymentConfig, report: DeploymentReporter): void {
  const c = d.cluster;
  checkKubernetesVersion(d, report);
  if (c.nodeVmSize.length > VM_SIZE_MAX_LENGTH || !VM_SIZE.test(c.nodeVmSize)) {
    report.error("cluster.nodeVmSize", c.nodeVmSize, `must be an Azure VM size name such as Standard_D4d_v5 (at most ${VM_SIZE_MAX_LENGTH} characters; "az vm list-sizes --location <region>" lists them)`);
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
  checkServiceNetwork(d, report);
}

/**
 * Kubernetes service addresses: clear of every subnet, and a DNS address Kubernetes can hand out.
 * AKS refuses a service CIDR that overlaps a subnet of the VNet, not one inside its address
 * space: the guide itself puts 10.4.0.0/16 inside the VNet's 10.0.0.0/8, and that works.
 */
function checkServiceNetwork(d: DeploymentConfig, report: DeploymentReporter): void {
  const c = d.cluster;
  const service = cidrSetting(report, "cluster.serviceCidr", c.serviceCidr);
  if (service) {
    if (Number(c.serviceCidr.split("/")[1]) < LARGEST_SERVICE_CIDR_BITS) {
      report.error("cluster.serviceCidr", c.serviceCidr, `is too large: AKS takes a service CIDR of /${LARGEST_SERVICE_CIDR_BITS} or smaller`);
    }
    for (const [path, key] of SUBNET_SETTINGS) {
      const subnet = parseCidr(d.network[key]);
      if (subnet && overlaps(subnet, service)) {
        report.error("cluster.serviceCidr", c.serviceCidr, `must not overlap ${path} ${subnet.text}: service addresses would shadow the VNet's addresses`);
      }
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
