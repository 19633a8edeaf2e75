import "server-only";
import type { KeyObject } from "node:crypto";

/**
 * Where the CloudFront private key comes from. Two implementations, chosen by config:
 * SSM Parameter Store in production, a local PEM file (or the generated dev key) in the
 * preview. Callers never test which one they got.
 */
export interface SecretsProvider {
  /** The private key, parsed once into a KeyObject (parsing a PEM costs more than signing). */
  getCloudFrontPrivateKey(): Promise<KeyObject>;
  /** Where the key comes from, for logs and the health check; never the key itself. */
  describe(): string;
  /** Whether the key can be read now, for GET /api/health. Never throws. */
  check(): Promise<{ ok: boolean; detail?: string }>;
}

/**
 * The key cannot be read. Not an AppError: the message names parameters, files and AWS
 * error codes for the operator's log, and the API answers with a plain 500.
 */
export class SecretError extends Error {
  override name = "SecretError";
  /** The AWS error code (e.g. ParameterNotFound) or a local code (ENOENT, InvalidKey). */
  readonly code: string;

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
