import "server-only";
import type { KeyObject } from "node:crypto";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { parsePrivateKey } from "./parse-private-key";
import { SecretError, type SecretsProvider } from "./types";
import { apiMetrics } from "@/lib/observability/api-metrics";
import { getLogger } from "@/lib/observability/logger";

/** Hints for the AWS error codes an operator meets when the parameter cannot be read. */
const HINTS: Record<string, string> = {
  ParameterNotFound:
    "no such parameter in this account and region (create it with `npm run keys -- --ssm-parameter NAME`)",
  ParameterVersionNotFound: "the requested parameter version does not exist",
  AccessDeniedException:
    "the task role needs ssm:GetParameter on the parameter and kms:Decrypt on its KMS key",
  InvalidKeyId: "the parameter's KMS key is disabled or does not exist",
  CredentialsProviderError: "no AWS credentials from the default provider chain (task role)",
};

/** Seconds between attempts while the parameter cannot be refreshed. */
const MAX_RETRY_SECONDS = 30;

/**
 * The production key: a SecureString in SSM Parameter Store, read with WithDecryption.
 * Credentials come only from the SDK's default provider chain (the ECS task role); no
 * access key is ever part of the configuration.
 *
 * The parsed key is cached for `ttlSeconds`. After that the cached key is still served
 * while one background GetParameter refreshes it (stale-while-revalidate), so a signing
 * request never waits on SSM once the first read succeeded; a failed refresh keeps the
 * old key, logs, and is retried after at most 30 s. Only the very first read can fail a
 * caller.
 */
export function createSsmSecrets(opts: {
  parameterName: string;
  ttlSeconds: number;
  client?: SSMClient;
  now?: () => number;
}): SecretsProvider {
  const { parameterName } = opts;
  const now = opts.now ?? Date.now;
  const ttlMs = opts.ttlSeconds * 1000;
  const retryMs = Math.min(opts.ttlSeconds, MAX_RETRY_SECONDS) * 1000;
  let client = opts.client;
  let cached: { key: KeyObject; fetchedAt: number } | undefined;
  let inflight: Promise<KeyObject> | undefined;
  let nextRetryAt = 0;

  async function fetchKey(): Promise<KeyObject> {
    client ??= new SSMClient({});
    let value: string | undefined;
    try {
      const out = await client.send(
        new GetParameterCommand({ Name: parameterName, WithDecryption: true }),
      );
      value = out.Parameter?.Value;
    } catch (err) {
      throw toSecretError(parameterName, err);
    }
    if (!value) {
      throw new SecretError(`SSM parameter "${parameterName}" has no value`, "EmptyParameter");
    }
    return parsePrivateKey(value, `SSM parameter "${parameterName}"`);
  }

  function load(): Promise<KeyObject> {
    inflight ??= fetchKey()
      .then(
        (key) => {
          cached = { key, fetchedAt: now() };
          apiMetrics().signerKeyRefreshes.inc({ outcome: "ok" });
          return key;
        },
        (err: unknown) => {
          apiMetrics().signerKeyRefreshes.inc({ outcome: "failed" });
          apiMetrics().signerErrors.inc();
          throw err;
        },
      )
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  const provider: SecretsProvider = {
    async getCloudFrontPrivateKey() {
      if (!cached) return load();
      const t = now();
      if (t - cached.fetchedAt >= ttlMs && !inflight && t >= nextRetryAt) {
        load().catch((err: unknown) => {
          nextRetryAt = now() + retryMs;
          const message = err instanceof Error ? err.message : String(err);
          getLogger("secrets").warn(
            `refresh failed, still signing with the cached key: ${message}`,
          );
        });
      }
      return cached.key;
    },
    describe() {
      return `SSM parameter ${parameterName}`;
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

function toSecretError(parameterName: string, err: unknown): SecretError {
  // SDK v3 errors carry the AWS error code as `name` (ParameterNotFound, AccessDeniedException...).
  const code = err instanceof Error ? err.name : "UnknownError";
  const detail = err instanceof Error && err.message && err.message !== code ? err.message : "";
  const hint = HINTS[code];
  const message =
    `Cannot read the CloudFront private key from SSM parameter "${parameterName}": ${code}` +
    (hint ? ` (${hint})` : "") +
    (detail ? `: ${detail}` : "");
  return new SecretError(message, code, { cause: err });
}
