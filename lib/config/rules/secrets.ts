import { parseCidr, parseIpv4 } from "../cidr";
import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";

/** Key Vault network rules take single addresses or CIDRs up to /30 (a /31 or /32 is refused by Azure). */
const LONGEST_VAULT_PREFIX = 30;

export function checkSecrets(d: DeploymentConfig, report: DeploymentReporter): void {
  const s = d.secrets;
  s.allowedIps.forEach((entry, i) => {
    const path = `secrets.allowedIps[${i}]`;
    if (parseIpv4(entry) !== undefined) return;
    const range = parseCidr(entry);
    if (!range) {
      report.error(path, entry, "must be an IPv4 address (e.g. 203.0.113.7) or CIDR (e.g. 203.0.113.0/24)");
    } else if (Number(entry.split("/")[1]) > LONGEST_VAULT_PREFIX) {
      report.error(path, entry, `must be a single address instead: Key Vault accepts CIDRs up to /${LONGEST_VAULT_PREFIX}`);
    }
  });
  if (s.allowedIps.length > 0 && !s.restrictNetwork) {
    report.warn("secrets.allowedIps", s.allowedIps, "has no effect unless secrets.restrictNetwork is true");
  }
}
