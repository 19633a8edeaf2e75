import "server-only";
import { createPublicKey } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/env";
import { ensureDevKeyPair } from "./dev-key-pair";
import { activeKeyPairId, getSecrets, keysDir } from "./get-secrets";

/**
 * The key group the preview edge trusts, as `ID=path.pem,ID2=path2.pem`:
 * PREVIEW_TRUSTED_PUBLIC_KEYS when set (list both keys while rotating), else the active
 * key alone: `<id>=DATA_DIR/keys/public.pem` for the dev key, or the public half of
 * CLOUDFRONT_PRIVATE_KEY_FILE / the SSM key written to DATA_DIR/keys/<id>.public.pem.
 */
export async function previewTrustedKeySpec(): Promise<string> {
  const config = env();
  if (config.PREVIEW_TRUSTED_PUBLIC_KEYS) return config.PREVIEW_TRUSTED_PUBLIC_KEYS;
  const dir = keysDir();
  if (!config.CLOUDFRONT_PRIVATE_KEY_FILE && !config.CLOUDFRONT_PRIVATE_KEY_PARAMETER) {
    const dev = await ensureDevKeyPair(dir);
    return `${config.CLOUDFRONT_KEY_PAIR_ID ?? dev.keyPairId}=${dev.publicKeyPath}`;
  }
  const id = await activeKeyPairId();
  const publicKey = createPublicKey(await getSecrets().getCloudFrontPrivateKey());
  const file = path.join(dir, `${id.replace(/[^A-Za-z0-9_-]/g, "_")}.public.pem`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(file, publicKey.export({ type: "spki", format: "pem" }).toString(), {
    mode: 0o644,
  });
  return `${id}=${file}`;
}
