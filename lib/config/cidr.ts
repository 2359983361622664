/** IPv4 address and CIDR arithmetic for the network rules (the guide's address plan is IPv4 only). */

export interface Ipv4Range {
  /** The text it was parsed from, for messages. */
  readonly text: string;
  /** First address of the range, as an unsigned 32-bit integer. */
  readonly first: number;
  /** Last address of the range, as an unsigned 32-bit integer. */
  readonly last: number;
}

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses a dotted-quad address; undefined if it is not one. */
export function parseIpv4(text: string): number | undefined {
  const match = OCTETS.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((o, i) => o > 255 || (match[i + 1].length > 1 && match[i + 1].startsWith("0")))) {
    return undefined;
  }
  return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}

/**
 * Parses `a.b.c.d/n`. The address must be the network address (no host bits set), as Azure
 * requires for address prefixes; undefined if the text is not such a CIDR.
 */
export function parseCidr(text: string): Ipv4Range | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (address === undefined || !/^\d{1,2}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  if (address % size !== 0) return undefined;
  return { text, first: address, last: address + size - 1 };
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

/** The non-public range that holds all of `range`, if any. */
export function nonPublicRangeOf(range: Ipv4Range): Ipv4Range | undefined {
  return NON_PUBLIC_RANGES.find((outer) => contains(outer, range));
}

/** The number of prefix bits of a parsed range. */
export function prefixLength(range: Ipv4Range): number {
  return 32 - Math.log2(range.last - range.first + 1);
}
