/**
 * Who can reach the operator (`operator.exposure`). The operator receives emails and phone
 * numbers; the guide's public load balancer answers the whole internet on plain HTTP, so a
 * deployment can narrow it to its own networks or keep it inside the VNet.
 */
import { parseCidr } from "../cidr";
import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";

export function checkExposure(d: DeploymentConfig, report: DeploymentReporter): void {
  const { exposure, allowedSourceRanges: ranges } = d.operator;
  if (exposure !== "restricted") {
    if (ranges.length > 0) report.warn("operator.allowedSourceRanges", ranges, `has no effect unless operator.exposure is "restricted" (it is "${exposure}")`);
    return;
  }
  if (ranges.length === 0) {
    report.error("operator.allowedSourceRanges", undefined, 'is required with operator.exposure "restricted": list the CIDRs that may reach the operator (your network\'s public ranges, and where the health check runs)');
  }
  ranges.forEach((entry, i) => {
    const path = `operator.allowedSourceRanges[${i}]`;
    const range = parseCidr(entry);
    if (!range) {
      report.error(path, entry, "must be an IPv4 CIDR with no host bits set, such as 203.0.113.0/24 (a single address: 203.0.113.7/32)");
    } else if (range.first === 0 && range.last === 0xffffffff) {
      report.error(path, entry, 'admits every address, which is exposure "public"; list your own ranges, or choose operator.exposure "public" deliberately');
    }
  });
}
