import { generateKeyPairSync, type KeyObject } from "node:crypto";

/** The key types CloudFront takes for signed URLs and cookies, and the hashes it verifies. */
export const KEY_TYPES = ["rsa", "ecdsa"] as const;
export type KeyType = (typeof KEY_TYPES)[number];
export const HASH_ALGORITHMS = ["SHA1", "SHA256"] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** Every key type with every hash, for tests that must hold across all four. */
export const SIGNING_COMBINATIONS = KEY_TYPES.flatMap((type) =>
  HASH_ALGORITHMS.map((algorithm) => ({ type, algorithm })),
);

/** A throwaway signing key pair of one CloudFront key type. */
export interface TestKeyPair {
  type: KeyType;
  publicKey: KeyObject;
  privateKey: KeyObject;
  /** The private key as PKCS#8 PEM, the way `@aws-sdk/cloudfront-signer` documents it. */
  pem: string;
  /** The public key as SPKI PEM, the way CloudFront and the edge's key files take it. */
  publicPem: string;
}

/** A fresh RSA-2048 or ECDSA P-256 pair. */
export function testKeyPair(type: KeyType): TestKeyPair {
  const { publicKey, privateKey } =
    type === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    type,
    publicKey,
    privateKey,
    pem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/**
 * The private key as the signer takes it. Its types say PEM string or Buffer, but it hands
 * the key to crypto's Sign, which takes a KeyObject too (parsing a PEM on every call makes
 * RSA signing 4x slower); `pem` true passes the PEM, the documented way.
 */
export function signerKey(pair: TestKeyPair, pem = false): string {
  return pem ? pair.pem : (pair.privateKey as unknown as string);
}

/** CloudFront's URL-safe base64 of some bytes. */
export const toB64 = (bytes: Buffer | string): string =>
  Buffer.from(bytes)
    .toString("base64")
    .replaceAll("+", "-")
    .replaceAll("=", "_")
    .replaceAll("/", "~");

/** The bytes of CloudFront's URL-safe base64 (lenient, as a test needs). */
export const fromB64 = (text: string): Buffer =>
  Buffer.from(text.replaceAll("-", "+").replaceAll("_", "=").replaceAll("~", "/"), "base64");

/** The hash name node:crypto's verify takes for a CloudFront hash algorithm. */
export const nodeHash = (algorithm: HashAlgorithm): "sha1" | "sha256" =>
  algorithm === "SHA256" ? "sha256" : "sha1";
