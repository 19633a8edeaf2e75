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

export { buildCustomPolicy, type CustomPolicyArgs } from "./build-custom-policy";
export { checkCookieDomain, type MediaCookieAttributes } from "./cookie-attributes";
export { signedUrlInput, type SignedUrlInput } from "./signed-url-input";

/**
 * What one set of media cookies opens: a folder under /media/. The policy's Resource is
 * `{origin}{path}*` and the cookies carry `Path={path}`, so the browser sends each set only
 * with requests under its folder, and several sets live side by side (design 5b).
 */
export interface MediaScope {
  /** A folder under /media/, with its trailing slash, e.g. `/media/videos/abc/`. */
  path: string;
}

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

type Signed = ReturnType<typeof signPolicyCookies>;

// Every member asking for the same folder within the same second gets the same policy,
// and RSA PKCS#1 v1.5 signatures are deterministic: a signature made for a policy is
// reused rather than computed again (signing is most of an issuance's cost under load).
// Keyed by policy, so viewers of different videos do not evict each other.
const SIGNED_MAX = 2048;
let signedKey: { key: KeyObject; keyPairId: string } | undefined;
const signedByPolicy = new Map<string, Signed>();

function signCached(policy: string, key: KeyObject, keyPairId: string): Signed {
  if (signedKey?.key !== key || signedKey.keyPairId !== keyPairId) {
    signedKey = { key, keyPairId };
    signedByPolicy.clear();
  }
  let signed = signedByPolicy.get(policy);
  if (!signed) {
    signed = signPolicyCookies(policy, key, keyPairId);
    if (signedByPolicy.size >= SIGNED_MAX) {
      signedByPolicy.delete(signedByPolicy.keys().next().value!);
    }
    signedByPolicy.set(policy, signed);
  }
  return signed;
}

/**
 * Signs the cookies for one scope with a custom policy (a wildcard resource needs one):
 * valid SIGNED_COOKIE_TTL_SECONDS from now, optionally not before now minus
 * SIGNED_COOKIE_NOT_BEFORE_SKEW_SECONDS and only from `sourceIp` (default
 * SIGNED_COOKIE_SOURCE_IP, IPv4 only).
 */
export async function signScopeCookies(
  scope: MediaScope,
  opts: { now?: Date; sourceIp?: string } = {},
): Promise<{ cookies: MediaCookie[]; expiresAt: Date }> {
  const config = env();
  const nowSeconds = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const dateLessThan = nowSeconds + config.SIGNED_COOKIE_TTL_SECONDS;
  const skew = config.SIGNED_COOKIE_NOT_BEFORE_SKEW_SECONDS;
  const policy = buildCustomPolicy({
    resource: `${new URL(config.publicOrigin).origin}${checkedScopePath(scope.path)}*`,
    dateLessThan,
    dateGreaterThan: skew === undefined ? undefined : nowSeconds - skew,
    sourceIp: opts.sourceIp ?? config.SIGNED_COOKIE_SOURCE_IP,
  });
  const [key, keyPairId] = await Promise.all([
    getSecrets().getCloudFrontPrivateKey(),
    activeKeyPairId(),
  ]);
  const signed = signCached(policy, key, keyPairId);
  return {
    cookies: [
      { name: "CloudFront-Policy", value: signed.policy },
      { name: "CloudFront-Signature", value: signed.signature },
      { name: "CloudFront-Key-Pair-Id", value: signed.keyPairId },
    ],
    expiresAt: new Date(dateLessThan * 1000),
  };
}

function checkedScopePath(path: string): string {
  // The same check as the cookie attributes: a scope is a folder, never a wildcard.
  mediaCookieAttributesFor("http://localhost", undefined, path);
  return path;
}

/**
 * THE media cookie attributes for a folder: Path=`path`, HttpOnly, Secure on an https
 * public origin, SameSite=Lax, Domain only when SIGNED_COOKIE_DOMAIN is set (checked to
 * cover the public host; a bad value throws naming the variable).
 */
export function mediaCookieAttributes(path: string): MediaCookieAttributes {
  const config = env();
  return mediaCookieAttributesFor(config.publicOrigin, config.SIGNED_COOKIE_DOMAIN, path);
}

/** Set-Cookie header values for a scope's issued cookies, expiring with the policy. */
export function serializeSetCookies(
  scope: MediaScope,
  cookies: MediaCookie[],
  expiresAt: Date,
  now: Date = new Date(),
): string[] {
  const attributes = mediaCookieAttributes(scope.path);
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  return cookies.map((c) =>
    serializeCookie(c.name, c.value, attributes, { expires: expiresAt, maxAge }),
  );
}

/**
 * Set-Cookie header values that delete the cookies of each scope: a cookie is deleted
 * only with the Path (and Domain) it was set with, so every folder is named.
 */
export function clearMediaCookieHeaders(scopes: readonly MediaScope[]): string[] {
  return scopes.flatMap((scope) => {
    const attributes = mediaCookieAttributes(scope.path);
    return COOKIE_NAMES.map((name) =>
      serializeCookie(name, "", attributes, { expires: new Date(0), maxAge: 0 }),
    );
  });
}

/**
 * The object path and lifetime of a signed URL request, or its refusal (400 for a path,
 * 422 for a lifetime), before anything else is looked at.
 */
export function checkSignedUrlInput(input: SignedUrlInput): { path: string; ttl: number } {
  const config = env();
  return {
    path: parseMediaPath(input.path),
    ttl: parseExpiresIn(input.expiresIn, {
      ttl: config.SIGNED_URL_DEFAULT_TTL_SECONDS,
      max: config.SIGNED_URL_MAX_TTL_SECONDS,
    }),
  };
}

/**
 * A canned-policy signed URL for one object under /media/, valid `expiresIn` seconds
 * (default SIGNED_URL_DEFAULT_TTL_SECONDS, at most SIGNED_URL_MAX_TTL_SECONDS). Bad
 * paths are AppError 400, bad lifetimes 422. Whether the member may have this object is
 * the caller's to decide first (lib/playback).
 */
export async function createSignedUrl(
  input: SignedUrlInput,
  opts: { now?: Date } = {},
): Promise<{ url: string; expiresAt: Date }> {
  const { path, ttl } = checkSignedUrlInput(input);
  const expires = Math.floor((opts.now ?? new Date()).getTime() / 1000) + ttl;
  const [key, keyPairId] = await Promise.all([
    getSecrets().getCloudFrontPrivateKey(),
    activeKeyPairId(),
  ]);
  const url = signCannedUrl(
    `${new URL(env().publicOrigin).origin}${path}`,
    expires,
    key,
    keyPairId,
  );
  return { url, expiresAt: new Date(expires * 1000) };
}
