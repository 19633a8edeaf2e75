import "server-only";
import type { KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ensureDevKeyPair } from "./dev-key-pair";
import { parsePrivateKey } from "./parse-private-key";
import { SecretError, type SecretsProvider } from "./types";

/**
 * The local preview's key: CLOUDFRONT_PRIVATE_KEY_FILE when given, else the dev pair
 * generated under `keysDir` on first use. Read and parsed once per process: replacing
 * the file takes a restart, as it would in a container.
 */
export function createLocalSecrets(opts: { keyFile?: string; keysDir: string }): SecretsProvider {
  let loading: Promise<KeyObject> | undefined;

  async function load(): Promise<KeyObject> {
    if (!opts.keyFile) {
      const { privateKeyPath } = await ensureDevKeyPair(opts.keysDir);
      return parsePrivateKey(
        await readFile(privateKeyPath),
        `The dev private key ${privateKeyPath}`,
      );
    }
    let pem: Buffer;
    try {
      pem = await readFile(opts.keyFile);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "ReadError";
      throw new SecretError(
        `Cannot read CLOUDFRONT_PRIVATE_KEY_FILE ${opts.keyFile}: ${code}`,
        code,
        { cause: err },
      );
    }
    return parsePrivateKey(pem, `CLOUDFRONT_PRIVATE_KEY_FILE ${opts.keyFile}`);
  }

  const provider: SecretsProvider = {
    getCloudFrontPrivateKey() {
      // A failed read is not cached, so fixing the file does not need a restart.
      loading ??= load().catch((err: unknown) => {
        loading = undefined;
        throw err;
      });
      return loading;
    },
    describe() {
      return opts.keyFile
        ? `local key file ${opts.keyFile}`
        : `local dev key pair in ${opts.keysDir}`;
    },
    async check() {
      try {
        await provider.getCloudFrontPrivateKey();
        return { ok: true, detail: provider.describe() };
      } catch (err) {
        return { ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    },
  };
  return provider;
}
