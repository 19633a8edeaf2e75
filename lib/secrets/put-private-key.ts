import "server-only";
import { PutParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { SecretError } from "./types";

/**
 * Stores a private key PEM in SSM as a SecureString (encrypted with `kmsKeyId`, else the
 * account's aws/ssm key). An existing parameter is replaced only with `overwrite`, so a
 * mistyped name cannot silently destroy the live key.
 */
export async function putPrivateKeyParameter(
  client: SSMClient,
  opts: { name: string; privateKeyPem: string; kmsKeyId?: string; overwrite?: boolean },
): Promise<{ version: number | undefined }> {
  try {
    const out = await client.send(
      new PutParameterCommand({
        Name: opts.name,
        Value: opts.privateKeyPem,
        Type: "SecureString",
        Overwrite: opts.overwrite ?? false,
        Description: "CloudFront signing private key (Reelgate)",
        ...(opts.kmsKeyId ? { KeyId: opts.kmsKeyId } : {}),
      }),
    );
    return { version: out.Version };
  } catch (err) {
    const code = err instanceof Error ? err.name : "UnknownError";
    const hint = code === "ParameterAlreadyExists" ? " (pass --overwrite to replace it)" : "";
    const detail = err instanceof Error && err.message !== code ? `: ${err.message}` : "";
    throw new SecretError(
      `Cannot write SSM parameter "${opts.name}": ${code}${hint}${detail}`,
      code,
      { cause: err },
    );
  }
}
