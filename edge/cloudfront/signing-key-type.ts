import type { KeyObject } from "node:crypto";

/** The key types CloudFront takes for signed URLs and cookies. */
export type SigningKeyType = "rsa" | "ecdsa";

/** How each key type is named in messages and in `npm run keys`. */
export const SIGNING_KEY_LABELS: Readonly<Record<SigningKeyType, string>> = {
  rsa: "RSA-2048",
  ecdsa: "ECDSA P-256",
};

/**
 * The CloudFront key type of a private or public key, or why it has none. CloudFront
 * takes RSA-2048 and ECDSA P-256 (Node's `prime256v1`) and refuses any other size or curve
 * when the public key is uploaded, so the preview edge, the signer and infra refuse them
 * too: a key that works locally must work on CloudFront.
 */
export function signingKeyType(key: KeyObject): SigningKeyType | { refused: string } {
  const type = key.asymmetricKeyType;
  if (type === "rsa") {
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (bits === 2048) return "rsa";
    return { refused: `an RSA-${bits ?? "?"} key; CloudFront takes RSA-2048 or ECDSA P-256` };
  }
  if (type === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? "?";
    if (curve === "prime256v1") return "ecdsa";
    return { refused: `an EC key on curve ${curve}; CloudFront takes ECDSA on P-256 only` };
  }
  return {
    refused: `a ${type ?? "non-asymmetric"} key; CloudFront takes RSA-2048 or ECDSA P-256`,
  };
}
