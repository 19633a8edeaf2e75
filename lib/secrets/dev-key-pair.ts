import "server-only";
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { KEY_FILES, generateSigningKeyPair, localKeyId, publicKeyPem } from "./key-pair";
import { parsePrivateKey } from "./parse-private-key";

/** The files of the local preview's key pair. */
export interface DevKeyPair {
  keyPairId: string;
  publicKeyPath: string;
  privateKeyPath: string;
}

/**
 * Makes sure `keysDir` holds the dev key pair, generating it on first start, and returns
 * its paths and id. Idempotent and safe when the API server, the worker and the edge start
 * at the same moment: the private key appears whole or not at all, and the first writer
 * wins. The public key and the id are derived from the private key, so every process
 * writes the same bytes.
 *
 * A new pair is ECDSA P-256. A folder that already holds a key keeps it, whatever its type:
 * an RSA dev key made before ECDSA became the default goes on signing, so the cookies that
 * browsers hold and the key the edge trusts stay valid. Delete the folder for a new key.
 */
export async function ensureDevKeyPair(keysDir: string): Promise<DevKeyPair> {
  const privateKeyPath = path.join(keysDir, KEY_FILES.privateKey);
  const publicKeyPath = path.join(keysDir, KEY_FILES.publicKey);
  const privatePem = (await readIfExists(privateKeyPath)) ?? (await createPrivateKeyFile(keysDir));
  const key = parsePrivateKey(privatePem, `The dev private key ${privateKeyPath}`);
  const keyPairId = localKeyId(key);
  await writeIfChanged(publicKeyPath, publicKeyPem(key));
  await writeIfChanged(path.join(keysDir, KEY_FILES.keyPairId), `${keyPairId}\n`);
  return { keyPairId, publicKeyPath, privateKeyPath };
}

async function createPrivateKeyFile(keysDir: string): Promise<string> {
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const target = path.join(keysDir, KEY_FILES.privateKey);
  const temp = path.join(keysDir, `.private.${randomBytes(6).toString("hex")}.tmp`);
  const { privateKeyPem } = await generateSigningKeyPair("ecdsa");
  await writeFile(temp, privateKeyPem, { mode: 0o600, flag: "wx" });
  try {
    // link() fails with EEXIST instead of replacing: a racing process keeps its key, and
    // readers never see a half-written private key.
    await link(temp, target);
    return privateKeyPem;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return readFile(target, "utf8");
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

async function writeIfChanged(file: string, content: string): Promise<void> {
  if ((await readIfExists(file)) === content) return;
  const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temp, content, { mode: 0o644 });
  await rename(temp, file);
}
