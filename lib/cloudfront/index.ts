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
import { signCannedUrl, signPolicyCookies } from "./signer";
import { apiMetrics } from "@/lib/observability/api-metrics";

export { buildCustomPolicy, type CustomPolicyArgs } from "./build-custom-policy";
export { checkCookieDomain, type MediaCookieAttributes } from "./cookie-attributes";
export { signedUrlInput, type SignedUrlInput } from "./signed-url-input";

/** One of the three custom-policy cookies CloudFront checks on /media/*. */
export interface MediaCookie {
  name: "CloudFront-Policy" | "CloudFront-Signature" | "CloudFront-Key-Pair-Id";
  value: string;
}

const COOKIE_NAMES: MediaCookie["name"][] = [
  "CloudFront-Policy",
  "CloudFront-Signature",
  "CloudFront-Key-Pair-Id",
];

let lastSigned:
  | {
      policy: string;
      key: KeyObject;
      keyPairId: string;
      signed: ReturnType<typeof signPolicyCookies>;
    }
  | undefined;

/**
 * Signs the media cookies for the whole `/media/*` tree with a custom policy (a wildcard
 * resource needs one): valid SIGNED_COOKIE_TTL_SECONDS from now, optionally not before
 * now minus SIGNED_COOKIE_NOT_BEFORE_SKEW_SECONDS and only from `sourceIp` (default
 * SIGNED_COOKIE_SOURCE_IP, IPv4 only).
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
  // Every member asking within the same second gets the same policy, and RSA
  // PKCS#1 v1.5 signatures are deterministic: the last signature is reused rather
  // than computed again (the signing is most of an issuance's cost under load).
  if (
    lastSigned?.policy !== policy ||
    lastSigned.key !== key ||
    lastSigned.keyPairId !== keyPairId
  ) {
    lastSigned = { policy, key, keyPairId, signed: signPolicyCookies(policy, key, keyPairId) };
  }
  const { signed } = lastSigned;
  apiMetrics().credentialsIssued.inc({ kind: "cookies" });
  return {
    cookies: [
      { name: "CloudFront-Policy", value: signed.policy },
      { name: "CloudFront-Signature", value: signed.signature },
      { name: "CloudFront-Key-Pair-Id", value: signed.keyPairId },
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

/** Set-Cookie header values for issued cookies, expiring with the policy. */
export function serializeSetCookies(
  cookies: MediaCookie[],
  expiresAt: Date,
  now: Date = new Date(),
): string[] {
  const attributes = mediaCookieAttributes();
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  return cookies.map((c) =>
    serializeCookie(c.name, c.value, attributes, { expires: expiresAt, maxAge }),
  );
}

/** Set-Cookie header values that delete the three cookies (same Path and Domain, or the browser keeps them). */
export function clearMediaCookieHeaders(): string[] {
  const attributes = mediaCookieAttributes();
  return COOKIE_NAMES.map((name) =>
    serializeCookie(name, "", attributes, { expires: new Date(0), maxAge: 0 }),
  );
}

/**
 * A canned-policy signed URL for one object under /media/, valid `expiresIn` seconds
 * (default SIGNED_URL_DEFAULT_TTL_SECONDS, at most SIGNED_URL_MAX_TTL_SECONDS). Bad
 * paths are AppError 400, bad lifetimes 422.
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
  );
  apiMetrics().credentialsIssued.inc({ kind: "url" });
  return { url, expiresAt: new Date(expires * 1000) };
}
