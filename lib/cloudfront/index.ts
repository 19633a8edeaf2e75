import "server-only";
import type { KeyObject } from "node:crypto";
import { env } from "@/lib/env";
import { activeKeyPairId, getSecrets } from "@/lib/secrets";
import { buildCustomPolicy } from "./build-custom-policy";
import {
  mediaCookieAttributesFor,
  serializeCookie,
  type MediaCookieAttributes,
} from "./cookie-attributes";
import { parseExpiresIn, parseMediaPath, type SignedUrlInput } from "./signed-url-input";
import { signCannedUrl, signPolicyCookies, type HashAlgorithm } from "./signer";

export { buildCustomPolicy, type CustomPolicyArgs } from "./build-custom-policy";
export { checkCookieDomain, type MediaCookieAttributes } from "./cookie-attributes";
export { signedUrlInput, type SignedUrlInput } from "./signed-url-input";

/** One of the custom-policy cookies CloudFront checks on /media/*. */
export interface MediaCookie {
  name:
    | "CloudFront-Policy"
    | "CloudFront-Signature"
    | "CloudFront-Key-Pair-Id"
    | "CloudFront-Hash-Algorithm";
  value: string;
  /**
   * Set to expire this cookie on the same Path instead: CloudFront reads one value per
   * name, so a set signed SHA-1 must not leave behind a SHA256 one from an earlier set.
   */
  clear?: true;
}

const COOKIE_NAMES: MediaCookie["name"][] = [
  "CloudFront-Policy",
  "CloudFront-Signature",
  "CloudFront-Key-Pair-Id",
  "CloudFront-Hash-Algorithm",
];

let lastSigned:
  | {
      policy: string;
      key: KeyObject;
      keyPairId: string;
      algorithm: HashAlgorithm;
      signed: ReturnType<typeof signPolicyCookies>;
    }
  | undefined;

/**
 * Signs the media cookies for the whole `/media/*` tree with a custom policy (a wildcard
 * resource needs one): valid SIGNED_COOKIE_TTL_SECONDS from now, optionally not before
 * now minus SIGNED_COOKIE_NOT_BEFORE_SKEW_SECONDS and only from `sourceIp` (default
 * SIGNED_COOKIE_SOURCE_IP, IPv4 only), hashed with CLOUDFRONT_HASH_ALGORITHM. The set is
 * always complete: with SHA256 it carries CloudFront-Hash-Algorithm, with SHA1 it expires
 * that cookie (`clear`), so no earlier set's value can change which hash the edge checks.
 */
export async function issueMediaCookies(
  opts: { now?: Date; sourceIp?: string } = {},
): Promise<{ cookies: MediaCookie[]; expiresAt: Date }> {
  const config = env();
  const nowSeconds = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const dateLessThan = nowSeconds + config.SIGNED_COOKIE_TTL_SECONDS;
  const skew = config.SIGNED_COOKIE_NOT_BEFORE_SKEW_SECONDS;
  const policy = buildCustomPolicy({
    resource: `${new URL(config.publicOrigin).origin}/media/*`,
    dateLessThan,
    dateGreaterThan: skew === undefined ? undefined : nowSeconds - skew,
    sourceIp: opts.sourceIp ?? config.SIGNED_COOKIE_SOURCE_IP,
  });
  const [key, keyPairId] = await Promise.all([
    getSecrets().getCloudFrontPrivateKey(),
    activeKeyPairId(),
  ]);
  const algorithm = config.CLOUDFRONT_HASH_ALGORITHM;
  // Every member asking within the same second gets the same policy, and the last
  // signature over it is reused rather than computed again (signing is most of an
  // issuance's cost under load). RSA PKCS#1 v1.5 signatures are deterministic; ECDSA ones
  // are randomized, so a fresh one would differ, but any valid signature over these bytes
  // verifies, and reusing one reveals nothing a fresh one would not.
  if (
    !config.SIGNED_COOKIE_REUSE_SIGNATURE ||
    lastSigned?.policy !== policy ||
    lastSigned.key !== key ||
    lastSigned.keyPairId !== keyPairId ||
    lastSigned.algorithm !== algorithm
  ) {
    const signed = signPolicyCookies(policy, key, keyPairId, algorithm);
    lastSigned = { policy, key, keyPairId, algorithm, signed };
  }
  const { signed } = lastSigned;
  return {
    cookies: [
      { name: "CloudFront-Policy", value: signed.policy },
      { name: "CloudFront-Signature", value: signed.signature },
      { name: "CloudFront-Key-Pair-Id", value: signed.keyPairId },
      signed.hashAlgorithm
        ? { name: "CloudFront-Hash-Algorithm", value: signed.hashAlgorithm }
        : { name: "CloudFront-Hash-Algorithm", value: "", clear: true },
    ],
    expiresAt: new Date(dateLessThan * 1000),
  };
}

/**
 * THE media cookie attributes: Path=/media/, HttpOnly, Secure on an https public origin,
 * SameSite=Lax, Domain only when SIGNED_COOKIE_DOMAIN is set (checked to cover the
 * public host; a bad value throws naming the variable).
 */
export function mediaCookieAttributes(): MediaCookieAttributes {
  const config = env();
  return mediaCookieAttributesFor(config.publicOrigin, config.SIGNED_COOKIE_DOMAIN);
}

/** Set-Cookie header values for issued cookies, expiring with the policy (`clear` ones at once). */
export function serializeSetCookies(
  cookies: MediaCookie[],
  expiresAt: Date,
  now: Date = new Date(),
): string[] {
  const attributes = mediaCookieAttributes();
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  return cookies.map((c) =>
    c.clear
      ? serializeCookie(c.name, "", attributes, EXPIRED)
      : serializeCookie(c.name, c.value, attributes, { expires: expiresAt, maxAge }),
  );
}

const EXPIRED = { expires: new Date(0), maxAge: 0 };

/** Set-Cookie header values that delete the four cookies (same Path and Domain, or the browser keeps them). */
export function clearMediaCookieHeaders(): string[] {
  const attributes = mediaCookieAttributes();
  return COOKIE_NAMES.map((name) => serializeCookie(name, "", attributes, EXPIRED));
}

/**
 * A canned-policy signed URL for one object under /media/, valid `expiresIn` seconds
 * (default SIGNED_URL_DEFAULT_TTL_SECONDS, at most SIGNED_URL_MAX_TTL_SECONDS). Bad
 * paths are AppError 400, bad lifetimes 422. Signed with CLOUDFRONT_HASH_ALGORITHM (SHA256
 * adds `Hash-Algorithm=SHA256`).
 */
export async function createSignedUrl(
  input: SignedUrlInput,
  opts: { now?: Date } = {},
): Promise<{ url: string; expiresAt: Date }> {
  const config = env();
  const path = parseMediaPath(input.path);
  const ttl = parseExpiresIn(input.expiresIn, {
    ttl: config.SIGNED_URL_DEFAULT_TTL_SECONDS,
    max: config.SIGNED_URL_MAX_TTL_SECONDS,
  });
  const expires = Math.floor((opts.now ?? new Date()).getTime() / 1000) + ttl;
  const [key, keyPairId] = await Promise.all([
    getSecrets().getCloudFrontPrivateKey(),
    activeKeyPairId(),
  ]);
  const url = signCannedUrl(
    `${new URL(config.publicOrigin).origin}${path}`,
    expires,
    key,
    keyPairId,
    config.CLOUDFRONT_HASH_ALGORITHM,
  );
  return { url, expiresAt: new Date(expires * 1000) };
}
