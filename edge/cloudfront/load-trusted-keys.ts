import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { signingKeyType } from "./signing-key-type";
import type { TrustedKey } from "./types";

/**
 * Loads the trusted key group from a spec `ID=path.pem,ID2=path2.pem` (paths relative to the
 * working directory). A file may hold the public key or the private key; only the public half
 * is kept. Two IDs make key rotation possible without breaking live cookies, also from one
 * key type to the other. Throws with a message naming the entry on a bad spec, an unreadable
 * file or a key CloudFront would not take (anything but RSA-2048 and ECDSA P-256): this runs
 * at start-up, where failing loudly is right. A blank spec gives an empty group (every signed
 * request is then refused with "Unknown Key").
 */
export function loadTrustedKeys(spec: string): TrustedKey[] {
  const keys: TrustedKey[] = [];
  for (const entry of spec.split(",")) {
    if (entry.trim().length === 0) continue;
    const eq = entry.indexOf("=");
    const id = eq === -1 ? "" : entry.slice(0, eq).trim();
    const file = eq === -1 ? "" : entry.slice(eq + 1).trim();
    if (id.length === 0 || file.length === 0) {
      throw new Error(`trusted key entry "${entry.trim()}" is not ID=path.pem`);
    }
    if (keys.some((key) => key.id === id)) throw new Error(`trusted key ID ${id} is listed twice`);
    let publicKey;
    try {
      publicKey = createPublicKey(readFileSync(path.resolve(file)));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`trusted key ${id}: cannot read a key from ${file}: ${reason}`);
    }
    const type = signingKeyType(publicKey);
    if (typeof type !== "string")
      throw new Error(`trusted key ${id}: ${file} holds ${type.refused}`);
    keys.push({ id, publicKey });
  }
  return keys;
}
