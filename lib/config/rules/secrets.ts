import { nonPublicRangeOf, parseCidr, parseIpv4, prefixLength, type Ipv4Range } from "../cidr";
import type { DeploymentReporter } from "../problems";
import type { DeploymentConfig } from "../types";

/** Key Vault network rules take single addresses or CIDRs up to /30 (a /31 or /32 is refused by Azure). */
const LONGEST_VAULT_PREFIX = 30;

/** An entry wider than this admits far more than a deployer's or an office's addresses. */
const WIDEST_SENSIBLE_PREFIX = 16;

export function checkSecrets(d: DeploymentConfig, report: DeploymentReporter): void {
  const s = d.secrets;
  s.allowedIps.forEach((entry, i) => {
    const path = `secrets.allowedIps[${i}]`;
    const address = parseIpv4(entry);
    const range = address !== undefined ? { text: entry, first: address, last: address } : parseCidr(entry);
    if (!range) {
      report.error(path, entry, "must be an IPv4 address (e.g. 203.0.113.7) or CIDR (e.g. 203.0.113.0/24)");
    } else if (prefixLength(range) > LONGEST_VAULT_PREFIX && address === undefined) {
      report.error(path, entry, `must be a single address instead: Key Vault accepts CIDRs up to /${LONGEST_VAULT_PREFIX}`);
    } else if (s.restrictNetwork) {
      warnAboutBreadth(report, path, entry, range);
    }
  });
  if (s.allowedIps.length > 0 && !s.restrictNetwork) {
    report.warn("secrets.allowedIps", s.allowedIps, "has no effect unless secrets.restrictNetwork is true");
  }
}

/**
 * The vault's firewall sees each caller's public address: a private range matches nothing it
 * sees (Azure refuses private ranges in Key Vault IP rules; traffic from the VNet comes through
 * the cg subnet's service endpoint), and a very wide range lets much of the internet through.
 */
function warnAboutBreadth(report: DeploymentReporter, path: string, entry: string, range: Ipv4Range): void {
  const nonPublic = nonPublicRangeOf(range);
  if (nonPublic) {
    report.warn(path, entry, `lies in the non-public range ${nonPublic.text}: the vault's firewall sees callers by their public address, Azure refuses private ranges in Key Vault IP rules, and the pods reach the vault through the cg subnet's service endpoint anyway; list the deployer's public address`);
  } else if (prefixLength(range) < WIDEST_SENSIBLE_PREFIX) {
    report.warn(path, entry, `is wider than /${WIDEST_SENSIBLE_PREFIX} (${range.last - range.first + 1} addresses): with secrets.restrictNetwork it lets that much of the internet through the vault's firewall, which defeats it; list the deployer's address or your office's range`);
  }
}
