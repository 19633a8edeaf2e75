import { generateKeyPairSync, type KeyObject } from "node:crypto";
import {
  GetParameterCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { createSsmSecrets, putPrivateKeyParameter, SecretError } from "@/lib/secrets";
import { createLogger, getLogger, setRootLogger } from "@/lib/observability/logger";
import { apiMetrics } from "@/lib/observability/api-metrics";

const PARAMETER = "/reelgate/test/cloudfront-private-key";

function newPem(): string {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
}

const pemA = newPem();
const pemB = newPem();

function pemOf(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

function awsError(name: string, message: string): SSMServiceException {
  return new SSMServiceException({ name, message, $fault: "client", $metadata: {} });
}

/** Lets the background refresh (a few chained promises) settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}

const ssm = mockClient(SSMClient);
let clock = 1_000_000;
const now = () => clock;

function provider(ttlSeconds = 300) {
  return createSsmSecrets({ parameterName: PARAMETER, ttlSeconds, client: new SSMClient({}), now });
}

beforeEach(() => {
  ssm.reset();
  clock = 1_000_000;
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("createSsmSecrets", () => {
  it("asks for the named parameter with decryption and parses the key", async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: pemA } });
    const key = await provider().getCloudFrontPrivateKey();
    expect(pemOf(key)).toBe(pemA);
    const calls = ssm.commandCalls(GetParameterCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({ Name: PARAMETER, WithDecryption: true });
  });

  it("reads SSM once for many calls within the TTL, including concurrent first calls", async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: pemA } });
    const secrets = provider(300);
    const first = await Promise.all([1, 2, 3].map(() => secrets.getCloudFrontPrivateKey()));
    for (let i = 0; i < 20; i++) {
      clock += 10_000;
      await secrets.getCloudFrontPrivateKey();
    }
    expect(clock - 1_000_000).toBeLessThan(300_000);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(first[0]).toBe(first[2]);
  });

  it("serves the stale key once after the TTL while refreshing in the background", async () => {
    ssm.on(GetParameterCommand).resolvesOnce({ Parameter: { Value: pemA } });
    const secrets = provider(60);
    await secrets.getCloudFrontPrivateKey();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: pemB } });

    clock += 60_000;
    const stale = await secrets.getCloudFrontPrivateKey();
    expect(pemOf(stale)).toBe(pemA);
    await settle();
    const fresh = await secrets.getCloudFrontPrivateKey();
    expect(pemOf(fresh)).toBe(pemB);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);

    // The refreshed key starts a new TTL.
    clock += 59_000;
    await secrets.getCloudFrontPrivateKey();
    await settle();
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it("starts one refresh however many callers see the stale key", async () => {
    ssm.on(GetParameterCommand).resolvesOnce({ Parameter: { Value: pemA } });
    const secrets = provider(60);
    await secrets.getCloudFrontPrivateKey();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: pemB } });
    clock += 61_000;
    await Promise.all([1, 2, 3, 4, 5].map(() => secrets.getCloudFrontPrivateKey()));
    await settle();
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it("keeps the old key and logs when the refresh fails, then retries later", async () => {
    const records: { level: string; component?: string; msg: string }[] = [];
    const previous = getLogger();
    setRootLogger(
      createLogger("api", "info", {
        write: (line: string) => void records.push(JSON.parse(line) as (typeof records)[number]),
      }),
    );
    onTestFinished(() => void setRootLogger(previous));
    const errors = async () => (await apiMetrics().signerErrors.get()).values[0]?.value ?? 0;
    const errorsBefore = await errors();
    ssm.on(GetParameterCommand).resolvesOnce({ Parameter: { Value: pemA } });
    const secrets = provider(60);
    await secrets.getCloudFrontPrivateKey();
    ssm.on(GetParameterCommand).rejects(awsError("AccessDeniedException", "not authorized"));

    clock += 60_000;
    expect(pemOf(await secrets.getCloudFrontPrivateKey())).toBe(pemA);
    await settle();
    expect(pemOf(await secrets.getCloudFrontPrivateKey())).toBe(pemA);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ level: "warn", component: "secrets" });
    expect(records[0]?.msg).toContain(PARAMETER);
    expect(records[0]?.msg).toContain("AccessDeniedException");
    expect(await errors()).toBe(errorsBefore + 1);

    // No hammering: within the retry delay nothing is asked.
    await settle();
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);

    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: pemB } });
    clock += 30_000;
    expect(pemOf(await secrets.getCloudFrontPrivateKey())).toBe(pemA);
    await settle();
    expect(pemOf(await secrets.getCloudFrontPrivateKey())).toBe(pemB);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(3);
  });

  it.each([
    [
      "ParameterNotFound",
      () => new ParameterNotFound({ message: "", $metadata: {} }),
      /no such parameter/,
    ],
    [
      "AccessDeniedException",
      () => awsError("AccessDeniedException", "User is not authorized to perform ssm:GetParameter"),
      /kms:Decrypt/,
    ],
    ["InvalidKeyId", () => awsError("InvalidKeyId", "key disabled"), /KMS key/],
    [
      "ThrottlingException",
      () => awsError("ThrottlingException", "Rate exceeded"),
      /Rate exceeded/,
    ],
  ])("names the parameter and the AWS code for %s", async (code, makeError, hint) => {
    ssm.on(GetParameterCommand).rejects(makeError());
    const error = await provider()
      .getCloudFrontPrivateKey()
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(SecretError);
    const secretError = error as SecretError;
    expect(secretError.code).toBe(code);
    expect(secretError.message).toContain(`"${PARAMETER}"`);
    expect(secretError.message).toContain(code);
    expect(secretError.message).toMatch(hint);
  });

  it("retries the first read on the next call after a failure", async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(awsError("ThrottlingException", "Rate exceeded"))
      .resolves({ Parameter: { Value: pemA } });
    const secrets = provider();
    await expect(secrets.getCloudFrontPrivateKey()).rejects.toThrow(/ThrottlingException/);
    expect(pemOf(await secrets.getCloudFrontPrivateKey())).toBe(pemA);
  });

  it("rejects an empty parameter or one that is not a PEM private key, without quoting it", async () => {
    ssm.on(GetParameterCommand).resolvesOnce({ Parameter: {} });
    await expect(provider().getCloudFrontPrivateKey()).rejects.toThrow(/has no value/);
    ssm.on(GetParameterCommand).resolvesOnce({ Parameter: { Value: "s3cr3t-not-a-key" } });
    const err = await provider()
      .getCloudFrontPrivateKey()
      .then(
        () => new Error("resolved"),
        (e: unknown) => e as Error,
      );
    expect(err.message).toContain(PARAMETER);
    expect(err.message).not.toContain("s3cr3t");
  });

  it("reports through check() without throwing", async () => {
    ssm.on(GetParameterCommand).rejects(awsError("AccessDeniedException", "denied"));
    const result = await provider().check();
    expect(result.ok).toBe(false);
    expect(result.detail).toContain("AccessDeniedException");
    ssm.reset();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: pemA } });
    const secrets = provider();
    expect(await secrets.check()).toEqual({ ok: true, detail: `SSM parameter ${PARAMETER}` });
    expect(secrets.describe()).not.toContain("BEGIN");
  });
});

describe("putPrivateKeyParameter", () => {
  it("stores a SecureString without overwrite by default", async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    const out = await putPrivateKeyParameter(new SSMClient({}), {
      name: PARAMETER,
      privateKeyPem: pemA,
    });
    expect(out.version).toBe(1);
    const input = ssm.commandCalls(PutParameterCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Name: PARAMETER,
      Value: pemA,
      Type: "SecureString",
      Overwrite: false,
    });
    expect(input).not.toHaveProperty("KeyId");
  });

  it("passes the KMS key and overwrite when asked", async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 4 });
    await putPrivateKeyParameter(new SSMClient({}), {
      name: PARAMETER,
      privateKeyPem: pemA,
      kmsKeyId: "alias/reelgate",
      overwrite: true,
    });
    expect(ssm.commandCalls(PutParameterCommand)[0]?.args[0].input).toMatchObject({
      KeyId: "alias/reelgate",
      Overwrite: true,
    });
  });

  it("explains ParameterAlreadyExists", async () => {
    ssm
      .on(PutParameterCommand)
      .rejects(new ParameterAlreadyExists({ message: "exists", $metadata: {} }));
    await expect(
      putPrivateKeyParameter(new SSMClient({}), { name: PARAMETER, privateKeyPem: pemA }),
    ).rejects.toThrow(/ParameterAlreadyExists.*--overwrite/);
  });
});
