/**
 * Who can reach the operator (`operator.exposure`). The operator receives emails and phone
 * numbers; the guide's public load balancer answers the whole internet on plain HTTP, so a
 * deployment can narrow it to its own networks or keep it inside the VNet.
 */
import { canonicalCidr, NEVER_SOURCE_RANGES, overlaps, parseCidr, prefixLength, unionSize, type Ipv4Range } from "../cidr";
import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";

/**
 * The widest entry "restricted" accepts. A /8 is the largest block ever assigned to a single
 * organization (the legacy class A allocations); anything wider spans unrelated networks, which
 * is exposure "public" by another name.
 */
export const WIDEST_SOURCE_PREFIX = 8;
/** All entries together may cover at most one /8 worth of addresses, for the same reason. */
export const MOST_SOURCE_ADDRESSES = 2 ** (32 - WIDEST_SOURCE_PREFIX);

export function checkExposure(d: DeploymentConfig, report: DeploymentReporter): void {
  const { exposure, allowedSourceRanges: ranges } = d.operator;
  if (exposure !== "restricted") {
    if (ranges.length > 0) report.warn("operator.allowedSourceRanges", ranges, `has no effect unless operator.exposure is "restricted" (it is "${exposure}")`);
    return;
  }
  if (ranges.length === 0) {
    report.error("operator.allowedSourceRanges", undefined, 'is required with operator.exposure "restricted": list the CIDRs that may reach the operator (your network\'s public ranges, and where the health check runs)');
  }
  const accepted: { path: string; range: Ipv4Range }[] = [];
  ranges.forEach((entry, i) => {
    const path = `operator.allowedSourceRanges[${i}]`;
    const range = parseCidr(entry);
    const never = range && NEVER_SOURCE_RANGES.find((block) => overlaps(block, range));
    const clash = range && accepted.find((other) => overlaps(other.range, range));
    if (!range) {
      const canonical = canonicalCidr(entry);
      report.error(path, entry, canonical ? `must be written ${canonical}: a CIDR names its network address, with no host bits set and no leading zeros` : "must be an IPv4 CIDR with no host bits set, such as 203.0.113.0/24 (a single address: 203.0.113.7/32)");
    } else if (range.first === 0 && range.last === 0xffffffff) {
      report.error(path, entry, 'admits every address, which is exposure "public"; list your own ranges, or choose operator.exposure "public" deliberately');
    } else if (prefixLength(range) < WIDEST_SOURCE_PREFIX) {
      report.error(path, entry, `is wider than /${WIDEST_SOURCE_PREFIX}, the largest block any one organization holds: it admits unrelated networks, which is exposure "public" by another name`);
    } else if (never) {
      report.error(path, entry, `overlaps ${never.text}, which is never a caller's address as the public load balancer sees it (private, loopback, link-local, multicast or reserved); callers inside the VNet need operator.exposure "internal"`);
    } else if (clash) {
      report.error(path, entry, `overlaps ${clash.path} ${clash.range.text}; list each range once`);
    } else {
      accepted.push({ path, range });
    }
  });
  const total = unionSize(accepted.map((a) => a.range));
  if (total > MOST_SOURCE_ADDRESSES) {
    report.error("operator.allowedSourceRanges", ranges, `admit ${total} addresses together, more than a /${WIDEST_SOURCE_PREFIX} (${MOST_SOURCE_ADDRESSES}): that is a large share of the internet, exposure "public" by another name`);
  }
}
