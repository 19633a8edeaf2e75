import { isIPv4 } from "node:net";

/** The conditions of a CloudFront custom policy; epoch times are integer seconds. */
export interface CustomPolicyArgs {
  /** URL with optional wildcards: `*` matches zero or more characters, `?` exactly one. */
  resource: string;
  dateLessThan: number;
  dateGreaterThan?: number;
  /** IPv4 address or CIDR; a bare address means /32. */
  sourceIp?: string;
}

/**
 * The custom policy JSON exactly as CloudFront wants it: no whitespace, one statement,
 * conditions in the order DateLessThan, DateGreaterThan, IpAddress. The bytes returned
 * are the bytes signed, so build it once and pass this very string to the signer.
 */
export function buildCustomPolicy(args: CustomPolicyArgs): string {
  assertEpoch("dateLessThan", args.dateLessThan);
  const condition: Record<string, Record<string, number | string>> = {
    DateLessThan: { "AWS:EpochTime": args.dateLessThan },
  };
  if (args.dateGreaterThan !== undefined) {
    assertEpoch("dateGreaterThan", args.dateGreaterThan);
    if (args.dateGreaterThan >= args.dateLessThan) {
      throw new RangeError("dateGreaterThan must be before dateLessThan");
    }
    condition.DateGreaterThan = { "AWS:EpochTime": args.dateGreaterThan };
  }
  if (args.sourceIp !== undefined) {
    condition.IpAddress = { "AWS:SourceIp": normalizeSourceIp(args.sourceIp) };
  }
  return JSON.stringify({ Statement: [{ Resource: args.resource, Condition: condition }] });
}

function assertEpoch(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer of epoch seconds, got ${value}`);
  }
}

/**
 * `a.b.c.d/n` for the AWS:SourceIp condition. CloudFront's IpAddress condition only
 * matches IPv4 (AWS advises turning IPv6 off on a distribution that uses it), so an
 * IPv6 client cannot be bound; IPv4-mapped addresses are unwrapped.
 */
export function normalizeSourceIp(value: string): string {
  const [rawAddress = "", mask, ...extra] = value.trim().split("/");
  const address = rawAddress.replace(/^::ffff:/i, "");
  if (extra.length > 0 || !isIPv4(address)) {
    throw new RangeError(`Source IP "${value}" is not an IPv4 address or CIDR`);
  }
  if (mask === undefined) return `${address}/32`;
  if (!/^\d{1,2}$/.test(mask) || Number(mask) > 32) {
    throw new RangeError(`Source IP "${value}" has an invalid prefix length`);
  }
  return `${address}/${Number(mask)}`;
}
