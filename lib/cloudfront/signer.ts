import "server-only";
import type { KeyObject } from "node:crypto";
import { getSignedCookies, getSignedUrl } from "@aws-sdk/cloudfront-signer";

/**
 * The signer is typed for a PEM `string | Buffer`, but it hands the key straight to
 * Node's `Sign#sign({ key, passphrase })`, which accepts a KeyObject. A PEM would be
 * parsed on every call: about 4x fewer signs per second (DESIGN.md section 7, measured
 * again for issue 3). The cookie and signed-URL tests verify real signatures, so a signer
 * release that stops accepting a KeyObject fails them.
 */
function signerKey(key: KeyObject): string {
  return key as unknown as string;
}

/** Custom-policy cookies: the library encodes and signs the exact policy bytes given. */
export function signPolicyCookies(
  policy: string,
  key: KeyObject,
  keyPairId: string,
): { policy: string; signature: string; keyPairId: string } {
  const out = getSignedCookies({ policy, keyPairId, privateKey: signerKey(key) });
  const encodedPolicy = out["CloudFront-Policy"];
  if (!encodedPolicy) throw new Error("cloudfront-signer returned no CloudFront-Policy cookie");
  return {
    policy: encodedPolicy,
    signature: out["CloudFront-Signature"],
    keyPairId: out["CloudFront-Key-Pair-Id"],
  };
}

/**
 * A canned-policy signed URL (Expires, Signature, Key-Pair-Id) for one object. Canned,
 * because the URL names one object: shorter URLs, and CloudFront rebuilds the policy
 * from the request itself.
 */
export function signCannedUrl(
  url: string,
  expiresAtEpoch: number,
  key: KeyObject,
  keyPairId: string,
): string {
  return getSignedUrl({
    url,
    keyPairId,
    privateKey: signerKey(key),
    // A number would be read as milliseconds by `new Date(n)` inside the signer.
    dateLessThan: new Date(expiresAtEpoch * 1000),
  });
}
