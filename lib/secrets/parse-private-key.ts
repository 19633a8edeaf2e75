import "server-only";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { SecretError } from "./types";

/**
 * Parses a PEM private key for CloudFront signing. `source` names where it came from;
 * the message never quotes the key material.
 */
export function parsePrivateKey(pem: string | Buffer, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new SecretError(`${source} does not hold a PEM private key`, "InvalidKey", {
      cause: err,
    });
  }
  // The JS signer signs with RSA-SHA1; an EC key would yield a signature CloudFront's
  // RSA check rejects with a bare 403, far from the cause.
  if (key.asymmetricKeyType !== "rsa") {
    throw new SecretError(
      `${source} holds a ${key.asymmetricKeyType ?? "non-asymmetric"} key; CloudFront signing needs RSA`,
      "InvalidKey",
    );
  }
  return key;
}
