/** An IPv4 network, as 32-bit unsigned integers. */
export interface Ipv4Cidr {
  network: number;
  mask: number;
}

// Decimal octets without leading zeros: "010" is 8 to some parsers and 10 to others.
const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const MASK = /^(3[0-2]|[12]?\d)$/;
const MAPPED_PREFIX = "::ffff:";

/** Parses a dotted-quad IPv4 address into an unsigned 32-bit integer. */
export function parseIpv4(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}

/**
 * Parses a policy's `AWS:SourceIp`: IPv4 CIDR `a.b.c.d/n` only. CloudFront custom policies
 * take IPv4 ranges only; the mask is required, as every signer writes it. Host bits set
 * below the mask (10.1.2.3/8) are allowed and ignored.
 */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const slash = text.indexOf("/");
  if (slash === -1) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const maskText = text.slice(slash + 1);
  if (address === undefined || !MASK.test(maskText)) return undefined;
  const bits = Number(maskText);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { network: (address & mask) >>> 0, mask };
}

/**
 * The IPv4 address of a peer as Node reports it, or undefined for anything else. A dual-stack
 * socket reports IPv4 peers as `::ffff:a.b.c.d`; those are IPv4 viewers and must match IPv4
 * ranges. Real IPv6 peers match no IPv4 range (CloudFront policies cannot name IPv6 ranges).
 */
export function peerIpv4(sourceIp: string): number | undefined {
  if (typeof sourceIp !== "string") return undefined;
  const text = sourceIp.trim();
  if (text.length > 7 && text.slice(0, MAPPED_PREFIX.length).toLowerCase() === MAPPED_PREFIX) {
    return parseIpv4(text.slice(MAPPED_PREFIX.length));
  }
  return parseIpv4(text);
}

/** Whether the IPv4 address `address` lies in `cidr`. */
export function cidrContains(cidr: Ipv4Cidr, address: number): boolean {
  return (address & cidr.mask) >>> 0 === cidr.network;
}
