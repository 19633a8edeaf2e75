import "server-only";
import type { KeyObject } from "node:crypto";
import { SSMClient } from "@aws-sdk/client-ssm";
import path from "node:path";
import { env } from "@/lib/env";
import { localKeyId } from "./key-pair";
import { createLocalSecrets } from "./local-secrets";
import { createSsmSecrets } from "./ssm-secrets";
import type { SecretsProvider } from "./types";

let provider: SecretsProvider | undefined;

/** DATA_DIR/keys/: the dev key pair and derived public keys for the preview edge. */
export function keysDir(): string {
  return path.join(env().dataDir, "keys");
}

/**
 * The process's secrets provider, built once so the SSM cache (and its one background
 * refresh) is shared by every request: SSM when CLOUDFRONT_PRIVATE_KEY_PARAMETER is set,
 * else the local key file or dev key pair.
 */
export function getSecrets(): SecretsProvider {
  if (provider) return provider;
  const config = env();
  if (config.CLOUDFRONT_PRIVATE_KEY_PARAMETER) {
    provider = createSsmSecrets({
      parameterName: config.CLOUDFRONT_PRIVATE_KEY_PARAMETER,
      ttlSeconds: config.SECRETS_CACHE_TTL_SECONDS,
      // Region only; credentials come from the default provider chain (task role).
      client: new SSMClient(config.AWS_REGION ? { region: config.AWS_REGION } : {}),
    });
  } else {
    provider = createLocalSecrets({
      keyFile: config.CLOUDFRONT_PRIVATE_KEY_FILE,
      keysDir: keysDir(),
    });
  }
  return provider;
}

/**
 * The CloudFront public key ID that signed cookies and URLs carry (Key-Pair-Id):
 * CLOUDFRONT_KEY_PAIR_ID, else the local id of the active key (the dev key's id on a
 * fresh checkout). Switching it while the edge trusts both keys keeps cookies signed
 * by the old key valid until they expire.
 */
export async function activeKeyPairId(): Promise<string> {
  const configured = env().CLOUDFRONT_KEY_PAIR_ID;
  if (configured) return configured;
  const key = await getSecrets().getCloudFrontPrivateKey();
  // Deriving it costs about 0.2 ms (export and hash the public key), on every issuance.
  let id = localIds.get(key);
  if (id === undefined) localIds.set(key, (id = localKeyId(key)));
  return id;
}

const localIds = new WeakMap<KeyObject, string>();
