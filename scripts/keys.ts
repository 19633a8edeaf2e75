/**
 * `npm run keys` - create a CloudFront signing key pair, and optionally store its private
 * key in SSM Parameter Store. Run `npm run keys -- --help`.
 */
import "server-only";
import { SSMClient } from "@aws-sdk/client-ssm";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPrivateKey } from "node:crypto";
import { env } from "@/lib/env";
import {
  generateSigningKeyPair,
  localKeyId,
  putPrivateKeyParameter,
  writeKeyPair,
} from "@/lib/secrets";
import { SIGNING_KEY_LABELS, type SigningKeyType } from "@/edge/cloudfront/signing-key-type";

const HELP = `Usage: npm run keys -- [options]

Creates a key pair for CloudFront signed cookies and URLs (ECDSA P-256 unless told
otherwise), writes it to a folder (private.pem mode 0600, public.pem, key-pair-id) and
prints the public key and the steps to trust it in CloudFront.

Options:
  --type ecdsa|rsa         ECDSA P-256 (default; CloudFront takes it since 2025-09) or
                           RSA-2048. The API signs with whichever key it is given.
  --out DIR                Folder for the new pair (default: DATA_DIR/keys/<timestamp>/).
                           It must not already hold a private.pem.
  --ssm-parameter NAME     Also store the private key in SSM Parameter Store as a
                           SecureString named NAME (PutParameter, Type SecureString).
  --region REGION          AWS region for SSM (default: AWS_REGION / the SDK's chain).
  --kms-key-id KEY         KMS key (id, ARN or alias) to encrypt the parameter with
                           (default: the account's aws/ssm key).
  --overwrite              Replace an existing parameter (otherwise PutParameter fails
                           with ParameterAlreadyExists).
  -h, --help               Show this help.

AWS credentials come from the SDK's default provider chain (environment, profile,
SSO, instance or task role); this script never takes access keys as options.

Rotation without breaking live cookies:
  1. npm run keys -- --ssm-parameter /reelgate/cloudfront-private-key-next
  2. CloudFront > Public keys > Create: paste the public key printed below.
  3. Add the new public key to the distribution's key group (keep the old one).
  4. Point CLOUDFRONT_PRIVATE_KEY_PARAMETER at the new parameter and set
     CLOUDFRONT_KEY_PAIR_ID to the new CloudFront public key ID; redeploy.
  5. After SIGNED_COOKIE_TTL_SECONDS, remove the old key from the key group.
The old and the new key may be of different types (RSA to ECDSA): each cookie names
its key, and CloudFront verifies it with that key. DEPLOY.md section 8 has the steps.
For the local preview, list both keys in PREVIEW_TRUSTED_PUBLIC_KEYS (ID=path.pem,...).
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      type: { type: "string", default: "ecdsa" },
      "ssm-parameter": { type: "string" },
      region: { type: "string" },
      "kms-key-id": { type: "string" },
      overwrite: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const ssmOnly = [values.region, values["kms-key-id"], values.overwrite || undefined];
  if (!values["ssm-parameter"] && ssmOnly.some((v) => v !== undefined)) {
    throw new Error("--region, --kms-key-id and --overwrite need --ssm-parameter");
  }

  const type = values.type;
  if (type !== "ecdsa" && type !== "rsa") {
    throw new Error(`--type must be ecdsa or rsa, got "${type}"`);
  }
  const label = SIGNING_KEY_LABELS[type satisfies SigningKeyType];

  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const outDir = path.resolve(values.out ?? path.join(env().dataDir, "keys", stamp));
  const pair = await generateSigningKeyPair(type);
  const keyPairId = localKeyId(createPrivateKey(pair.privateKeyPem));
  const files = await writeKeyPair(outDir, { ...pair, keyPairId });

  const lines = [
    `Created an ${label} key pair in ${outDir}`,
    `  private key: ${files.privateKeyPath} (mode 0600; keep it secret)`,
    `  public key:  ${files.publicKeyPath}`,
    `  local id:    ${keyPairId} (for the local preview; CloudFront assigns its own ID)`,
    "",
    "Public key to upload to CloudFront:",
    "",
    pair.publicKeyPem.trimEnd(),
    "",
    "Next steps:",
    "  1. CloudFront console > Key management > Public keys > Create public key; paste the key above.",
    "  2. Add it to the distribution's key group (keep the current key there while rotating).",
    "  3. Set CLOUDFRONT_KEY_PAIR_ID to the new public key's ID (e.g. K2JCJMDEHXQW5F).",
  ];

  const parameter = values["ssm-parameter"];
  if (parameter) {
    const client = new SSMClient(values.region ? { region: values.region } : {});
    const { version } = await putPrivateKeyParameter(client, {
      name: parameter,
      privateKeyPem: pair.privateKeyPem,
      kmsKeyId: values["kms-key-id"],
      overwrite: values.overwrite,
    });
    lines.push(
      `  4. Set CLOUDFRONT_PRIVATE_KEY_PARAMETER=${parameter} (stored as SecureString, version ${version ?? "?"}).`,
      `     You may now delete ${files.privateKeyPath}; the API reads the key from SSM.`,
    );
  } else {
    lines.push(
      "  4. Store the private key where the API reads it: rerun with --ssm-parameter NAME,",
      `     or set CLOUDFRONT_PRIVATE_KEY_FILE=${files.privateKeyPath} for a local run.`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`keys: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
