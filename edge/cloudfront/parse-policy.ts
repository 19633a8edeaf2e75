import type { DenialReason } from "./types";
import { parseIpv4Cidr, type Ipv4Cidr } from "./source-ip";
import { compileWildcard, type ResourceMatcher } from "./wildcard";

/** A policy whose structure checked out; what is left to evaluate on each request. */
export interface ParsedPolicy {
  /** The compiled `Resource`; absent for a canned policy, whose signature binds the URL. */
  resource?: ResourceMatcher;
  /** DateLessThan, epoch seconds. */
  dateLessThan: number;
  /** DateGreaterThan, epoch seconds. */
  dateGreaterThan?: number;
  /** IpAddress / AWS:SourceIp. */
  sourceIp?: Ipv4Cidr;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

const DOCUMENT_FIELDS = new Set(["Statement"]);
const STATEMENT_FIELDS = new Set(["Resource", "Condition"]);
const CONDITION_FIELDS = new Set(["DateLessThan", "DateGreaterThan", "IpAddress"]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function onlyFields(value: Json, allowed: ReadonlySet<string>): boolean {
  for (const key of Object.keys(value)) if (!allowed.has(key)) return false;
  return true;
}

/** Reads `{"<field>": value}` with no other field. */
function single(value: unknown, field: string): unknown {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === field ? value[field] : undefined;
}

function epoch(value: unknown): number | undefined {
  const n = single(value, "AWS:EpochTime");
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/**
 * Parses the bytes of a custom policy as sent (after base64). The shape is CloudFront's:
 * `{"Statement":[{"Resource":"...","Condition":{"DateLessThan":{"AWS:EpochTime":N},
 * "DateGreaterThan":{"AWS:EpochTime":N},"IpAddress":{"AWS:SourceIp":"a.b.c.d/n"}}}]}`.
 *
 * Strict on purpose: exactly one statement, integer epochs, no unknown fields at any level
 * (a field we do not understand could be a restriction we would silently drop), and a
 * `Resource` is required even for signed URLs, where CloudFront would treat a missing one as
 * "any resource of the distribution"; our signers always write it. Insignificant JSON
 * whitespace is accepted: the signature is over the bytes as sent, and a signer that signed
 * whitespace meant it.
 */
export function parsePolicy(bytes: Uint8Array): ParsedPolicy | DenialReason {
  let document: unknown;
  try {
    document = JSON.parse(utf8.decode(bytes));
  } catch {
    return "policy-not-json";
  }
  if (!isObject(document)) return "policy-structure";
  const statements = document.Statement;
  if (!onlyFields(document, DOCUMENT_FIELDS)) return "policy-unknown-field";
  if (!Array.isArray(statements)) return "policy-structure";
  if (statements.length !== 1) return "policy-statement-count";
  const statement: unknown = statements[0];
  if (!isObject(statement)) return "policy-structure";
  if (!onlyFields(statement, STATEMENT_FIELDS)) return "policy-unknown-field";
  const { Resource: resource, Condition: condition } = statement;
  if (typeof resource !== "string" || resource.length === 0) return "policy-resource";
  if (!isObject(condition)) return "policy-missing-date-less-than";
  if (!onlyFields(condition, CONDITION_FIELDS)) return "policy-unknown-field";

  if (condition.DateLessThan === undefined) return "policy-missing-date-less-than";
  const dateLessThan = epoch(condition.DateLessThan);
  if (dateLessThan === undefined) return "policy-epoch";

  const parsed: ParsedPolicy = { resource: compileWildcard(resource), dateLessThan };
  if (condition.DateGreaterThan !== undefined) {
    const dateGreaterThan = epoch(condition.DateGreaterThan);
    if (dateGreaterThan === undefined) return "policy-epoch";
    parsed.dateGreaterThan = dateGreaterThan;
  }
  if (condition.IpAddress !== undefined) {
    const cidrText = single(condition.IpAddress, "AWS:SourceIp");
    const cidr = typeof cidrText === "string" ? parseIpv4Cidr(cidrText) : undefined;
    if (cidr === undefined) return "policy-ip-address";
    parsed.sourceIp = cidr;
  }
  return parsed;
}

/**
 * The canned policy CloudFront rebuilds from `Expires` and the request URL; the signature of
 * a canned credential is over exactly these bytes. JSON.stringify escapes the URL the way
 * the JS signer (which serializes the same object) does.
 */
export function cannedPolicy(resourceUrl: string, expires: string): string {
  return `{"Statement":[{"Resource":${JSON.stringify(resourceUrl)},"Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
}
