import { BlockList, isIP } from "node:net";

/** Strips the IPv4-mapped IPv6 prefix Node reports for IPv4 peers on dual-stack sockets. */
export function normalizeIp(address: string | undefined): string {
  if (!address) return "";
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * The WAF's admin IP set: CIDRs in v4 and v6. Checked against the socket's peer
 * address only; X-Forwarded-For is the client's to forge.
 */
export function createAllowList(cidrs: string[]): (address: string | undefined) => boolean {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net, bits] = cidr.split("/");
    const family = isIP(net ?? "");
    if (!family) throw new Error(`ADMIN_ALLOWED_CIDRS: "${cidr}" is not an IP or CIDR`);
    const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
      throw new Error(`ADMIN_ALLOWED_CIDRS: "${cidr}" has a bad prefix length`);
    }
    list.addSubnet(net!, prefix, family === 4 ? "ipv4" : "ipv6");
  }
  return (address) => {
    const ip = normalizeIp(address);
    const family = isIP(ip);
    if (!family) return false;
    return list.check(ip, family === 4 ? "ipv4" : "ipv6");
  };
}
