import "server-only";
import type { KeyObject } from "node:crypto";
import { getSignedCookies, getSignedUrl } from "@aws-sdk/cloudfront-signer";

/** The hash a signature is made over; CloudFront assumes SHA1 when the request names none. */
export type HashAlgorithm = "SHA1" | "SHA256";

/**
 * The signer is typed for a PEM `string | Buffer`, but it hands the key straight to
 * Node's `Sign#sign({ key, passphrase })`, which accepts a KeyObject. A PEM would be
 * parsed on every call: about 4x fewer signs per second (DESIGN.md section 7, measured
 * again for issue 3). The cookie and signed-URL tests verify real signatures, so a signer
 * release that stops accepting a KeyObject fails them.
 *
 * An ECDSA key needs nothing else: the signer signs with `createSign("RSA-SHA256")` (or
 * `"RSA-SHA1"`), and Node's Sign picks the algorithm from the key, not from that name, so
 * an EC key gets a DER ECDSA signature over the same hash, which is what CloudFront
 * verifies. The tests check it against the edge's verifier and `crypto.verify`.
 */
function signerKey(key: KeyObject): string {
  return key as unknown as string;
}

/**
 * Custom-policy cookies: the library encodes and signs the exact policy bytes given.
 * With SHA256 there is a fourth value, `CloudFront-Hash-Algorithm=SHA256`.
 */
export function signPolicyCookies(
  policy: string,
  key: KeyObject,
  keyPairId: string,
  algorithm: HashAlgorithm,
): { policy: string; signature: string; keyPairId: string; hashAlgorithm?: "SHA256" } {
  const out = getSignedCookies({ policy, keyPairId, privateKey: signerKey(key), algorithm });
  const encodedPolicy = out["CloudFront-Policy"];
  if (!encodedPolicy) throw new Error("cloudfront-signer returned no CloudFront-Policy cookie");
  const signed = {
    policy: encodedPolicy,
    signature: out["CloudFront-Signature"],
    keyPairId: out["CloudFront-Key-Pair-Id"],
  };
  if (algorithm === "SHA1") return signed;
  if (out["CloudFront-Hash-Algorithm"] !== "SHA256") {
    // CloudFront would verify SHA-1 over a SHA-256 signature: every media request a 403.
    throw new Error("cloudfront-signer signed SHA256 without a CloudFront-Hash-Algorithm cookie");
  }
  return { ...signed, hashAlgorithm: "SHA256" };
}

/**
 * A canned-policy signed URL (Expires, Signature, Key-Pair-Id, and Hash-Algorithm=SHA256
 * for SHA256) for one object. Canned, because the URL names one object: shorter URLs,
 * and CloudFront rebuilds the policy from the request itself.
 */
export function signCannedUrl(
  url: string,
  expiresAtEpoch: number,
  key: KeyObject,
  keyPairId: string,
  algorithm: HashAlgorithm,
): string {
  return getSignedUrl({
    url,
    keyPairId,
    privateKey: signerKey(key),
    // A number would be read as milliseconds by `new Date(n)` inside the signer.
    dateLessThan: new Date(expiresAtEpoch * 1000),
    algorithm,
  });
}
