import { canonicalCidr, contains, overlaps, parseCidr, prefixLength, type Ipv4Range } from "../cidr";
import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";

const CIDR_FORM = "must be an IPv4 CIDR a.b.c.d/n with no host bits set (e.g. 10.1.0.0/16)";

/** Azure's smallest subnet is a /29; it reserves five addresses of every subnet. */
const SMALLEST_SUBNET_BITS = 29;

export const SUBNET_SETTINGS = [
  ["network.defaultSubnet", "defaultSubnet"],
  ["network.aksSubnet", "aksSubnet"],
  ["network.containerGroupSubnet", "containerGroupSubnet"],
] as const;

/** Parses a CIDR setting, reporting it if it does not parse. */
export function cidrSetting(report: DeploymentReporter, path: string, value: string): Ipv4Range | undefined {
  const range = parseCidr(value);
  const canonical = range ? undefined : canonicalCidr(value);
  if (!range) report.error(path, value, canonical ? `must be written ${canonical}: a CIDR names its network address, with no host bits set and no leading zeros` : CIDR_FORM);
  return range;
}

/**
 * The widest VNet address space entry accepted. Addresses inside the VNet's space are routed
 * inside the VNet, so a space wider than a /8 hides much of the internet from the pods, the
 * UID2 hosts they must reach among them (0.0.0.0/0 hides all of it).
 */
const WIDEST_ADDRESS_SPACE_PREFIX = 8;

/** The VNet's address space, parsed; entries that do not parse are left out (and reported). */
export function addressSpaceRanges(d: DeploymentConfig, report: DeploymentReporter): Ipv4Range[] {
  const ranges: Ipv4Range[] = [];
  d.network.addressSpace.forEach((text, i) => {
    const range = cidrSetting(report, `network.addressSpace[${i}]`, text);
    if (!range) return;
    if (prefixLength(range) < WIDEST_ADDRESS_SPACE_PREFIX) {
      report.error(`network.addressSpace[${i}]`, text, `is wider than /${WIDEST_ADDRESS_SPACE_PREFIX}: addresses in the VNet's space are routed inside the VNet, so the pods could not reach those internet hosts (the UID2 services among them); use private ranges such as 10.0.0.0/8`);
      return;
    }
    const clash = ranges.find((other) => overlaps(other, range));
    if (clash) report.error(`network.addressSpace[${i}]`, text, `overlaps ${clash.text} in the same address space`);
    ranges.push(range);
  });
  return ranges;
}

/** Guide, "Create Virtual Network" and "Create Subnets". */
export function checkNetwork(d: DeploymentConfig, report: DeploymentReporter, space: readonly Ipv4Range[]): void {
  const spaceText = d.network.addressSpace.join(", ");
  const parsed: { path: string; range: Ipv4Range }[] = [];
  for (const [path, key] of SUBNET_SETTINGS) {
    const range = cidrSetting(report, path, d.network[key]);
    if (!range) continue;
    const bits = Number(range.text.split("/")[1]);
    if (bits > SMALLEST_SUBNET_BITS) {
      report.error(path, range.text, `is too small: Azure subnets are /${SMALLEST_SUBNET_BITS} or larger`);
    }
    if (space.length > 0 && !space.some((outer) => contains(outer, range))) {
      report.error(path, range.text, `must lie inside network.addressSpace ${spaceText}`);
    }
    const clash = parsed.find((other) => overlaps(other.range, range));
    if (clash) report.error(path, range.text, `overlaps ${clash.path} ${clash.range.text}; the subnets must not overlap`);
    parsed.push({ path, range });
  }
}
