import "server-only";
import { createPrivateKey, type KeyObject } from "node:crypto";
import { signingKeyType } from "@/edge/cloudfront/signing-key-type";
import { SecretError } from "./types";

/**
 * Parses a PEM private key for CloudFront signing: RSA-2048 or ECDSA P-256. `source`
 * names where it came from; the message never quotes the key material.
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
  // Any other key would sign something CloudFront refuses with a bare 403 on every media
  // request, far from the cause; CloudFront would not even take its public half.
  const type = signingKeyType(key);
  if (typeof type !== "string") {
    throw new SecretError(`${source} holds ${type.refused}`, "InvalidKey");
  }
  return key;
}
