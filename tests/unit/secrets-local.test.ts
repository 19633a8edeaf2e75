import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createLocalSecrets, ensureDevKeyPair, SecretError } from "@/lib/secrets";

const root = await mkdtemp(path.join(tmpdir(), "reelgate-secrets-"));
let dir: string;
let n = 0;

beforeEach(() => {
  dir = path.join(root, `case-${n++}`);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function expectedId(publicPem: string): string {
  const der = createPublicKey(publicPem).export({ type: "spki", format: "der" });
  return `DEV-${createHash("sha256").update(der).digest("hex").slice(0, 10).toUpperCase()}`;
}

describe("ensureDevKeyPair", () => {
  it("generates an ECDSA P-256 pair with a 0600 private key, the public PEM and the key id", async () => {
    const keysDir = path.join(dir, "keys");
    const pair = await ensureDevKeyPair(keysDir);
    expect(pair.privateKeyPath).toBe(path.join(keysDir, "private.pem"));
    expect(pair.publicKeyPath).toBe(path.join(keysDir, "public.pem"));
    expect((await stat(pair.privateKeyPath)).mode & 0o777).toBe(0o600);

    const privatePem = await readFile(pair.privateKeyPath, "utf8");
    const publicPem = await readFile(pair.publicKeyPath, "utf8");
    const publicKey = createPublicKey(publicPem);
    expect(publicKey.asymmetricKeyType).toBe("ec");
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(createPublicKey(privatePem).export({ type: "spki", format: "pem" }).toString()).toBe(
      publicPem,
    );

    expect(pair.keyPairId).toMatch(/^DEV-[0-9A-F]{10}$/);
    expect(pair.keyPairId).toBe(expectedId(publicPem));
    expect((await readFile(path.join(keysDir, "key-pair-id"), "utf8")).trim()).toBe(pair.keyPairId);
  });

  it("reuses the pair on the next start: same key, same id", async () => {
    const first = await ensureDevKeyPair(dir);
    const pem = await readFile(first.privateKeyPath, "utf8");
    const second = await ensureDevKeyPair(dir);
    expect(second).toEqual(first);
    expect(await readFile(second.privateKeyPath, "utf8")).toBe(pem);
  });

  it("ends with one key when several processes start at once", async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => ensureDevKeyPair(dir)));
    expect(new Set(results.map((r) => r.keyPairId)).size).toBe(1);
    const publicPem = await readFile(path.join(dir, "public.pem"), "utf8");
    expect(results[0]?.keyPairId).toBe(expectedId(publicPem));
    expect((await readdir(dir)).sort()).toEqual(["key-pair-id", "private.pem", "public.pem"]);
  });

  it("keeps an RSA dev key made before ECDSA became the default: same key, same id", async () => {
    // A DATA_DIR from an earlier release: the browsers' cookies and the edge name this key.
    const rsa = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "private.pem"), rsa.privateKey, { mode: 0o600 });
    await writeFile(path.join(dir, "public.pem"), rsa.publicKey);
    await writeFile(path.join(dir, "key-pair-id"), `${expectedId(rsa.publicKey)}\n`);
    const pair = await ensureDevKeyPair(dir);
    expect(pair.keyPairId).toBe(expectedId(rsa.publicKey));
    expect(await readFile(pair.privateKeyPath, "utf8")).toBe(rsa.privateKey);
    expect(await readFile(pair.publicKeyPath, "utf8")).toBe(rsa.publicKey);
    const key = await createLocalSecrets({ keysDir: dir }).getCloudFrontPrivateKey();
    expect(key.asymmetricKeyType).toBe("rsa");
  });

  it("repairs a missing public key from the private key", async () => {
    const first = await ensureDevKeyPair(dir);
    const publicPem = await readFile(first.publicKeyPath, "utf8");
    await rm(first.publicKeyPath);
    const again = await ensureDevKeyPair(dir);
    expect(await readFile(again.publicKeyPath, "utf8")).toBe(publicPem);
    expect(again.keyPairId).toBe(first.keyPairId);
  });
});

describe("createLocalSecrets", () => {
  it("without a key file, serves the dev key and generates it once", async () => {
    const secrets = createLocalSecrets({ keysDir: dir });
    const key = await secrets.getCloudFrontPrivateKey();
    expect(key.type).toBe("private");
    expect(await secrets.getCloudFrontPrivateKey()).toBe(key);
    const publicPem = await readFile(path.join(dir, "public.pem"), "utf8");
    expect(createPublicKey(key).export({ type: "spki", format: "pem" })).toBe(publicPem);
    expect(secrets.describe()).toContain(dir);
    expect(await secrets.check()).toMatchObject({ ok: true });
  });

  it("reads CLOUDFRONT_PRIVATE_KEY_FILE when given and does not create a dev key", async () => {
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    await mkdir(dir, { recursive: true });
    const keyFile = path.join(dir, "cf.pem");
    await writeFile(keyFile, privateKey);
    const secrets = createLocalSecrets({ keyFile, keysDir: path.join(dir, "keys") });
    const key = await secrets.getCloudFrontPrivateKey();
    expect(key.export({ type: "pkcs1", format: "pem" })).toBe(privateKey);
    expect(secrets.describe()).toContain(keyFile);
    expect(await readdir(dir)).toEqual(["cf.pem"]);
  });

  it("names the file when it is missing, and picks it up once it appears", async () => {
    const keyFile = path.join(root, `missing-${n}.pem`);
    const secrets = createLocalSecrets({ keyFile, keysDir: dir });
    const err = await secrets.getCloudFrontPrivateKey().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretError);
    expect((err as SecretError).code).toBe("ENOENT");
    expect((err as Error).message).toContain(keyFile);
    expect(await secrets.check()).toMatchObject({ ok: false });

    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    await writeFile(keyFile, privateKey);
    await expect(secrets.getCloudFrontPrivateKey()).resolves.toMatchObject({ type: "private" });
  });

  it("reads an ECDSA P-256 key file (SEC1 or PKCS#8)", async () => {
    for (const type of ["sec1", "pkcs8"] as const) {
      const { privateKey } = generateKeyPairSync("ec", {
        namedCurve: "P-256",
        privateKeyEncoding: { type, format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      });
      const keyFile = path.join(root, `ec-${type}-${n}.pem`);
      await writeFile(keyFile, privateKey);
      const key = await createLocalSecrets({ keyFile, keysDir: dir }).getCloudFrontPrivateKey();
      expect(key.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    }
  });

  it.each([
    ["an EC key on curve secp384r1", () => generateKeyPairSync("ec", { namedCurve: "P-384" })],
    ["an RSA-1024 key", () => generateKeyPairSync("rsa", { modulusLength: 1024 })],
    ["a ed25519 key", () => generateKeyPairSync("ed25519")],
  ])("refuses %s with a message naming the file and what CloudFront takes", async (what, make) => {
    const keyFile = path.join(root, `bad-${n}.pem`);
    await writeFile(keyFile, make().privateKey.export({ type: "pkcs8", format: "pem" }));
    const err = await createLocalSecrets({ keyFile, keysDir: dir })
      .getCloudFrontPrivateKey()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretError);
    expect((err as SecretError).code).toBe("InvalidKey");
    expect((err as Error).message).toBe(
      `CLOUDFRONT_PRIVATE_KEY_FILE ${keyFile} holds ${what}; CloudFront takes ${
        what.startsWith("an EC") ? "ECDSA on P-256 only" : "RSA-2048 or ECDSA P-256"
      }`,
    );
  });
});

describe("config wiring", () => {
  const VARS = [
    "DATA_DIR",
    "CLOUDFRONT_KEY_PAIR_ID",
    "CLOUDFRONT_PRIVATE_KEY_FILE",
    "CLOUDFRONT_PRIVATE_KEY_PARAMETER",
    "PREVIEW_TRUSTED_PUBLIC_KEYS",
  ];

  async function load(vars: Record<string, string>) {
    for (const name of VARS) vi.stubEnv(name, vars[name]);
    vi.resetModules();
    return import("@/lib/secrets");
  }

  beforeEach(() => {
    vi.unstubAllEnvs();
  });

  it("defaults to the dev key: its id is the active id and the trusted key spec", async () => {
    const secrets = await load({ DATA_DIR: dir });
    const id = await secrets.activeKeyPairId();
    const keysDir = path.join(dir, "keys");
    const stored = (await readFile(path.join(keysDir, "key-pair-id"), "utf8")).trim();
    expect(id).toBe(stored);
    expect(await secrets.previewTrustedKeySpec()).toBe(`${id}=${path.join(keysDir, "public.pem")}`);
    expect(secrets.getSecrets()).toBe(secrets.getSecrets());
    expect(secrets.getSecrets().describe()).toContain(keysDir);
  });

  it("uses CLOUDFRONT_KEY_PAIR_ID and PREVIEW_TRUSTED_PUBLIC_KEYS as given", async () => {
    const spec = "K2AAAAAAAAAAAA=/keys/a.pem,K2BBBBBBBBBBBB=/keys/b.pem";
    const secrets = await load({
      DATA_DIR: dir,
      CLOUDFRONT_KEY_PAIR_ID: "K2BBBBBBBBBBBB",
      PREVIEW_TRUSTED_PUBLIC_KEYS: spec,
    });
    expect(await secrets.activeKeyPairId()).toBe("K2BBBBBBBBBBBB");
    expect(await secrets.previewTrustedKeySpec()).toBe(spec);
  });

  it("with a key file, trusts that key's public half under the active id", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const keyFile = path.join(root, `file-${n}.pem`);
    await writeFile(keyFile, privateKey);
    const secrets = await load({ DATA_DIR: dir, CLOUDFRONT_PRIVATE_KEY_FILE: keyFile });
    const id = await secrets.activeKeyPairId();
    expect(id).toBe(expectedId(publicKey));
    const spec = await secrets.previewTrustedKeySpec();
    const [specId, pemPath = ""] = spec.split("=");
    expect(specId).toBe(id);
    expect(await readFile(pemPath, "utf8")).toBe(publicKey);
    expect(secrets.getSecrets().describe()).toContain(keyFile);
  });

  it("chooses SSM when CLOUDFRONT_PRIVATE_KEY_PARAMETER is set", async () => {
    const secrets = await load({
      DATA_DIR: dir,
      CLOUDFRONT_PRIVATE_KEY_PARAMETER: "/reelgate/key",
      CLOUDFRONT_KEY_PAIR_ID: "K2CCCCCCCCCCCC",
    });
    expect(secrets.getSecrets().describe()).toBe("SSM parameter /reelgate/key");
    expect(await secrets.activeKeyPairId()).toBe("K2CCCCCCCCCCCC");
  });
});
