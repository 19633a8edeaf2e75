import "server-only";
import { createHash, createPublicKey, generateKeyPair, type KeyObject } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { SigningKeyType } from "@/edge/cloudfront/signing-key-type";

const generateKeyPairAsync = promisify(generateKeyPair);

/** File names inside a key folder (DATA_DIR/keys/, or the one `npm run keys` writes). */
export const KEY_FILES = {
  privateKey: "private.pem",
  publicKey: "public.pem",
  keyPairId: "key-pair-id",
} as const;

export interface PemKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/**
 * A fresh pair of a type CloudFront takes: ECDSA P-256 (the default: signing is about ten
 * times faster and a signature is 70 to 72 bytes against 256) or RSA-2048.
 */
export async function generateSigningKeyPair(type: SigningKeyType = "ecdsa"): Promise<PemKeyPair> {
  // Each call spelled out: promisify's overloads only type the PEM output that way.
  const { privateKey, publicKey } =
    type === "rsa"
      ? await generateKeyPairAsync("rsa", {
          modulusLength: 2048,
          publicKeyEncoding: { type: "spki", format: "pem" },
          privateKeyEncoding: { type: "pkcs8", format: "pem" },
        })
      : await generateKeyPairAsync("ec", {
          namedCurve: "prime256v1",
          publicKeyEncoding: { type: "spki", format: "pem" },
          privateKeyEncoding: { type: "pkcs8", format: "pem" },
        });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/**
 * A stable local id for a key: `DEV-` and the first 10 hex digits of the SHA-256 of its
 * public key DER, upper case like CloudFront's own ids (K2...). CloudFront assigns its
 * own id on upload; this one only serves keys that CloudFront never sees.
 */
export function localKeyId(key: KeyObject): string {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  const der = publicKey.export({ type: "spki", format: "der" });
  return `DEV-${createHash("sha256").update(der).digest("hex").slice(0, 10).toUpperCase()}`;
}

/** The public key PEM (SPKI) of a private key, as CloudFront wants it pasted. */
export function publicKeyPem(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
}

/**
 * Writes a pair into `dir` (created 0700): the private key 0600 and never over an existing
 * file (`wx`), the public key and the key id next to it. Returns the paths.
 */
export async function writeKeyPair(
  dir: string,
  pair: PemKeyPair & { keyPairId: string },
): Promise<{ privateKeyPath: string; publicKeyPath: string; keyPairIdPath: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const privateKeyPath = path.join(/*turbopackIgnore: true*/ dir, KEY_FILES.privateKey);
  const publicKeyPath = path.join(/*turbopackIgnore: true*/ dir, KEY_FILES.publicKey);
  const keyPairIdPath = path.join(/*turbopackIgnore: true*/ dir, KEY_FILES.keyPairId);
  await writeFile(privateKeyPath, pair.privateKeyPem, { mode: 0o600, flag: "wx" });
  await writeFile(publicKeyPath, pair.publicKeyPem, { mode: 0o644 });
  await writeFile(keyPairIdPath, `${pair.keyPairId}\n`, { mode: 0o644 });
  return { privateKeyPath, publicKeyPath, keyPairIdPath };
}
