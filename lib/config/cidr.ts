/**
 * IPv4 addresses and CIDRs for the network rules (the guide's address plan is IPv4 only):
 * parsing by ipaddr.js, held to the canonical form; ranges as integer bounds for the arithmetic.
 */
import ipaddr from "ipaddr.js";

export interface Ipv4Range {
  /** The text it was parsed from, for messages. */
  readonly text: string;
  /** First address of the range, as an unsigned 32-bit integer. */
  readonly first: number;
  /** Last address of the range, as an unsigned 32-bit integer. */
  readonly last: number;
}

/** The address as an unsigned 32-bit integer. */
function toInteger(address: ipaddr.IPv4): number {
  return address.toByteArray().reduce((value, octet) => value * 256 + octet, 0);
}

/**
 * Parses a dotted-quad address written canonically (four decimal octets, no leading zeros);
 * undefined if it is not one. ipaddr.js would also read `010.0.0.1` (as octal) or `10.1`; a
 * setting means what it says only in the canonical form.
 */
export function parseIpv4(text: string): number | undefined {
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  const address = ipaddr.IPv4.parse(text);
  return address.toString() === text ? toInteger(address) : undefined;
}

/**
 * Parses `a.b.c.d/n` written canonically: the network address (no host bits set, as Azure
 * requires for address prefixes), decimal octets and prefix length without leading zeros.
 * Undefined if the text is not such a CIDR; canonicalCidr says what was probably meant.
 */
export function parseCidr(text: string): Ipv4Range | undefined {
  const lenient = parseLenient(text);
  if (!lenient || lenient.canonical !== text || lenient.hostBits) return undefined;
  return { text, first: lenient.first, last: lenient.first + 2 ** (32 - lenient.bits) - 1 };
}

/**
 * The canonical form of a CIDR that was written otherwise (`10.0.0.0/08`, `10.1.2.3/16` with
 * host bits): the network address and the prefix length, as parseCidr accepts them. Undefined
 * when the text is no CIDR at all, or is already canonical.
 */
export function canonicalCidr(text: string): string | undefined {
  const lenient = parseLenient(text);
  if (!lenient) return undefined;
  const canonical = `${lenient.network}/${lenient.bits}`;
  return canonical === text ? undefined : canonical;
}

/** Any CIDR ipaddr.js reads from decimal octets: as written canonically, its network address, and whether host bits are set. */
function parseLenient(text: string): { canonical: string; network: string; first: number; bits: number; hostBits: boolean } | undefined {
  const slash = text.indexOf("/");
  if (slash < 0 || !ipaddr.IPv4.isValidFourPartDecimal(text.slice(0, slash)) || !/^\d{1,3}$/.test(text.slice(slash + 1))) return undefined;
  let parsed: [ipaddr.IPv4, number];
  try {
    parsed = ipaddr.IPv4.parseCIDR(text);
  } catch {
    return undefined;
  }
  const [address, bits] = parsed;
  const canonical = `${address.toString()}/${bits}`;
  const network = ipaddr.IPv4.networkAddressFromCIDR(canonical);
  return { canonical, network: network.toString(), first: toInteger(network), bits, hostBits: network.toString() !== address.toString() };
}

/** True when `inner` lies wholly inside `outer`. */
export function contains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

/** True when the two ranges share at least one address. */
export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/**
 * Addresses that never appear as a caller's public address: private networks (RFC 1918), carrier
 * NAT (RFC 6598), loopback and link-local.
 */
export const NON_PUBLIC_RANGES: readonly Ipv4Range[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16"].map(
  (text) => parseCidr(text)!,
);

/**
 * Blocks that are never a caller's public source address on the internet (RFC 6890): this
 * network, the non-public ranges above, multicast and the reserved block with broadcast.
 */
export const NEVER_SOURCE_RANGES: readonly Ipv4Range[] = [
  ...["0.0.0.0/8"].map((text) => parseCidr(text)!),
  ...NON_PUBLIC_RANGES,
  ...["224.0.0.0/4", "240.0.0.0/4"].map((text) => parseCidr(text)!),
];

/** The number of addresses the ranges cover together, each address counted once. */
export function unionSize(ranges: readonly Ipv4Range[]): number {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  let total = 0;
  let end = -1;
  for (const range of sorted) {
    if (range.last <= end) continue;
    total += range.last - Math.max(range.first, end + 1) + 1;
    end = range.last;
  }
  return total;
}

/** The non-public range that holds all of `range`, if any. */
export function nonPublicRangeOf(range: Ipv4Range): Ipv4Range | undefined {
  return NON_PUBLIC_RANGES.find((outer) => contains(outer, range));
}

/** The number of prefix bits of a parsed range. */
export function prefixLength(range: Ipv4Range): number {
  return 32 - Math.log2(range.last - range.first + 1);
}
