import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createVerifier, type Verdict } from "@/edge/cloudfront";
import { testKeyPair } from "../support/cloudfront-keys";

const root = await mkdtemp(path.join(tmpdir(), "reelgate-cookies-"));
const NOW = new Date("2026-03-01T12:00:00.500Z");
const NOW_S = Math.floor(NOW.getTime() / 1000);

const VARS = [
  "DATA_DIR",
  "AUTH_URL",
  "PORT",
  "CLOUDFRONT_KEY_PAIR_ID",
  "CLOUDFRONT_PRIVATE_KEY_FILE",
  "CLOUDFRONT_PRIVATE_KEY_PARAMETER",
  "SIGNED_COOKIE_TTL_SECONDS",
  "SIGNED_COOKIE_DOMAIN",
  "SIGNED_COOKIE_SOURCE_IP",
  "SIGNED_COOKIE_NOT_BEFORE_SKEW_SECONDS",
  "CLOUDFRONT_HASH_ALGORITHM",
  "SIGNED_COOKIE_REUSE_SIGNATURE",
];

/** Fresh modules under `vars`, so env() is parsed again. */
async function load(vars: Record<string, string>) {
  for (const name of VARS) vi.stubEnv(name, vars[name]);
  vi.resetModules();
  return import("@/lib/cloudfront");
}

function undo(value: string): Buffer {
  return Buffer.from(value.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");
}

interface Policy {
  Statement: { Resource: string; Condition: Record<string, unknown> }[];
}

function policyOf(cookies: Record<string, string>): Policy {
  return JSON.parse(undo(cookies["CloudFront-Policy"] ?? "").toString()) as Policy;
}

/** The cookies a browser keeps from an issuance: the ones set, not the ones it clears. */
function cookieMap(
  cookies: { name: string; value: string; clear?: true }[],
): Record<string, string> {
  return Object.fromEntries(cookies.filter((c) => !c.clear).map((c) => [c.name, c.value]));
}

/**
 * What the edge does with these cookies on a segment request at `now` (default NOW): the
 * preview edge's own verifier, with `trusted` as its key group.
 */
function edgeVerdict(
  cookies: Record<string, string>,
  trusted: Record<string, KeyObject>,
  now = NOW.getTime(),
): Verdict {
  const group = Object.entries(trusted).map(([id, publicKey]) => ({ id, publicKey }));
  return createVerifier(group, { cacheSize: 0 })({
    url: "https://videos.example.com/media/videos/vid123456/hls/720p/seg_1.m4s",
    cookies,
    sourceIp: "203.0.113.9",
    now,
  });
}

function verifyCookies(
  cookies: Record<string, string>,
  trusted: Record<string, KeyObject>,
  now?: number,
): boolean {
  return edgeVerdict(cookies, trusted, now).ok;
}

function rsaPair() {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
}

let dataDir: string;
let n = 0;
beforeEach(() => {
  vi.unstubAllEnvs();
  dataDir = path.join(root, `data-${n++}`);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(root, { recursive: true, force: true });
});

const VIDEO = { path: "/media/videos/vid123456/" };

describe("signScopeCookies", () => {
  it("signs a custom policy for one video's folder with the ECDSA dev key and SHA-256 by default", async () => {
    const cf = await load({ DATA_DIR: dataDir, AUTH_URL: "https://videos.example.com" });
    const { cookies, expiresAt } = await cf.signScopeCookies(VIDEO, { now: NOW });

    expect(cookies.map((c) => c.name)).toEqual([
      "CloudFront-Policy",
      "CloudFront-Signature",
      "CloudFront-Key-Pair-Id",
      "CloudFront-Hash-Algorithm",
    ]);
    expect(cookies[3]).toEqual({ name: "CloudFront-Hash-Algorithm", value: "SHA256" });
    for (const c of cookies) expect(c.value).toMatch(/^[A-Za-z0-9~_-]+$/);

    const map = cookieMap(cookies);
    expect(undo(map["CloudFront-Policy"] ?? "").toString()).toBe(
      `{"Statement":[{"Resource":"https://videos.example.com/media/videos/vid123456/*","Condition":{"DateLessThan":{"AWS:EpochTime":${NOW_S + 600}}}}]}`,
    );
    // SIGNED_COOKIE_TTL_SECONDS defaults to 10 minutes: revocation within one lifetime.
    expect(expiresAt.getTime()).toBe((NOW_S + 600) * 1000);

    const keysDir = path.join(dataDir, "keys");
    const id = (await readFile(path.join(keysDir, "key-pair-id"), "utf8")).trim();
    expect(map["CloudFront-Key-Pair-Id"]).toBe(id);
    const publicKey = createPublicKey(await readFile(path.join(keysDir, "public.pem")));
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(verifyCookies(map, { [id]: publicKey })).toBe(true);
    const signature = undo(map["CloudFront-Signature"] ?? "");
    expect([70, 71, 72]).toContain(signature.length);
    const policyBytes = undo(map["CloudFront-Policy"] ?? "");
    expect(verify("sha256", policyBytes, publicKey, signature)).toBe(true);
    expect(verify("sha1", policyBytes, publicKey, signature)).toBe(false);

    // The checks above can fail: a changed policy, or SHA-1 asked for, no longer verifies.
    const tampered = policyBytes.toString().replace(/\d{10}/, "9999999999");
    const forged = { ...map, "CloudFront-Policy": Buffer.from(tampered).toString("base64") };
    expect(verifyCookies(forged, { [id]: publicKey })).toBe(false);
    const { "CloudFront-Hash-Algorithm": _sha256, ...withoutHash } = map;
    expect(edgeVerdict(withoutHash, { [id]: publicKey })).toMatchObject({
      reason: "bad-signature",
    });
  });

  it("CLOUDFRONT_HASH_ALGORITHM=SHA1 signs SHA-1 and clears the hash cookie on the same Path", async () => {
    const cf = await load({
      DATA_DIR: dataDir,
      AUTH_URL: "https://videos.example.com",
      CLOUDFRONT_HASH_ALGORITHM: "SHA1",
    });
    const { cookies, expiresAt } = await cf.signScopeCookies(VIDEO, { now: NOW });
    expect(cookies.at(-1)).toEqual({ name: "CloudFront-Hash-Algorithm", value: "", clear: true });
    const map = cookieMap(cookies);
    const id = (await readFile(path.join(dataDir, "keys", "key-pair-id"), "utf8")).trim();
    const publicKey = createPublicKey(await readFile(path.join(dataDir, "keys", "public.pem")));
    expect(verifyCookies(map, { [id]: publicKey })).toBe(true);
    // A SHA256 cookie left over from an earlier set would make the edge check the wrong hash...
    const stale = { ...map, "CloudFront-Hash-Algorithm": "SHA256" };
    expect(edgeVerdict(stale, { [id]: publicKey })).toMatchObject({ reason: "bad-signature" });
    // ...so the set expires it, with the Path and attributes of the cookies it sets.
    const headers = cf.serializeSetCookies(VIDEO, cookies, expiresAt, NOW);
    expect(headers).toHaveLength(4);
    expect(headers[0]).toContain("; Path=/media/videos/vid123456/; ");
    expect(headers[3]).toBe(
      "CloudFront-Hash-Algorithm=; Path=/media/videos/vid123456/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax",
    );
  });

  it("refuses a CLOUDFRONT_HASH_ALGORITHM CloudFront does not know, naming it", async () => {
    const cf = await load({ DATA_DIR: dataDir, CLOUDFRONT_HASH_ALGORITHM: "sha256" });
    await expect(cf.signScopeCookies(VIDEO, { now: NOW })).rejects.toThrow(
      /CLOUDFRONT_HASH_ALGORITHM/,
    );
  });

  it.each(["rsa", "ecdsa"] as const)(
    "reuses the last %s signature for the same policy, unless SIGNED_COOKIE_REUSE_SIGNATURE=0",
    async (type) => {
      const pair = testKeyPair(type);
      const keyFile = path.join(root, `reuse-${type}-${n}.pem`);
      await writeFile(keyFile, pair.pem);
      const base = {
        DATA_DIR: dataDir,
        AUTH_URL: "https://videos.example.com",
        CLOUDFRONT_PRIVATE_KEY_FILE: keyFile,
        CLOUDFRONT_KEY_PAIR_ID: "K2REUSE",
      };
      const signatures = async (vars: Record<string, string>) => {
        const cf = await load({ ...base, ...vars });
        const sets = [
          cookieMap((await cf.signScopeCookies(VIDEO, { now: NOW })).cookies),
          cookieMap((await cf.signScopeCookies(VIDEO, { now: NOW })).cookies),
        ];
        for (const set of sets) expect(verifyCookies(set, { K2REUSE: pair.publicKey })).toBe(true);
        return sets.map((set) => set["CloudFront-Signature"]);
      };
      const [first, second] = await signatures({});
      expect(second).toBe(first);
      // Signed afresh: RSA PKCS#1 v1.5 gives the same bytes again, ECDSA new ones each time.
      const [fresh, again] = await signatures({ SIGNED_COOKIE_REUSE_SIGNATURE: "0" });
      if (type === "rsa") expect(again).toBe(fresh);
      else expect(again).not.toBe(fresh);
    },
  );

  it("adds DateGreaterThan and IpAddress from config, and a sourceIp passed in wins", async () => {
    const cf = await load({
      DATA_DIR: dataDir,
      AUTH_URL: "https://videos.example.com/",
      SIGNED_COOKIE_TTL_SECONDS: "600",
      SIGNED_COOKIE_NOT_BEFORE_SKEW_SECONDS: "30",
      SIGNED_COOKIE_SOURCE_IP: "198.51.100.0/24",
    });
    const fromConfig = cookieMap((await cf.signScopeCookies(VIDEO, { now: NOW })).cookies);
    expect(undo(fromConfig["CloudFront-Policy"] ?? "").toString()).toBe(
      `{"Statement":[{"Resource":"https://videos.example.com/media/videos/vid123456/*","Condition":{"DateLessThan":{"AWS:EpochTime":${NOW_S + 600}},"DateGreaterThan":{"AWS:EpochTime":${NOW_S - 30}},"IpAddress":{"AWS:SourceIp":"198.51.100.0/24"}}}]}`,
    );
    const perRequest = await cf.signScopeCookies(VIDEO, { now: NOW, sourceIp: "203.0.113.9" });
    const policy = policyOf(cookieMap(perRequest.cookies));
    expect(policy.Statement[0]?.Condition.IpAddress).toEqual({ "AWS:SourceIp": "203.0.113.9/32" });
    expect(perRequest.expiresAt.getTime()).toBe((NOW_S + 600) * 1000);
  });

  it("uses the default http://localhost origin without AUTH_URL", async () => {
    const cf = await load({ DATA_DIR: dataDir, PORT: "4321" });
    const map = cookieMap((await cf.signScopeCookies({ path: "/media/" }, { now: NOW })).cookies);
    expect(policyOf(map).Statement[0]?.Resource).toBe("http://localhost:4321/media/*");
  });

  it("gives each folder its own policy, and refuses a scope that is not a folder under /media/", async () => {
    const cf = await load({ DATA_DIR: dataDir, AUTH_URL: "https://videos.example.com" });
    const a = cookieMap((await cf.signScopeCookies(VIDEO, { now: NOW })).cookies);
    const b = cookieMap(
      (await cf.signScopeCookies({ path: "/media/posters/members/" }, { now: NOW })).cookies,
    );
    expect(policyOf(b).Statement[0]?.Resource).toBe(
      "https://videos.example.com/media/posters/members/*",
    );
    expect(a["CloudFront-Signature"]).not.toBe(b["CloudFront-Signature"]);
    for (const path of [
      "/media/*",
      "/media/videos/../",
      "/media/videos/x",
      "/api/",
      "/media/a?/",
    ]) {
      await expect(cf.signScopeCookies({ path }, { now: NOW })).rejects.toThrow(/not a folder/);
    }
  });

  it("rotation: cookies signed by the old key stay valid while both keys are trusted", async () => {
    const a = rsaPair();
    const b = rsaPair();
    await writeFile(path.join(root, "a.pem"), a.privateKey);
    await writeFile(path.join(root, "b.pem"), b.privateKey);
    const trusted = {
      K2OLDKEYAAAAAA: createPublicKey(a.publicKey),
      K2NEWKEYBBBBBB: createPublicKey(b.publicKey),
    };
    const base = { DATA_DIR: dataDir, AUTH_URL: "https://videos.example.com" };

    const before = await load({
      ...base,
      CLOUDFRONT_PRIVATE_KEY_FILE: path.join(root, "a.pem"),
      CLOUDFRONT_KEY_PAIR_ID: "K2OLDKEYAAAAAA",
    });
    const old = cookieMap((await before.signScopeCookies(VIDEO)).cookies);

    const after = await load({
      ...base,
      CLOUDFRONT_PRIVATE_KEY_FILE: path.join(root, "b.pem"),
      CLOUDFRONT_KEY_PAIR_ID: "K2NEWKEYBBBBBB",
    });
    const fresh = cookieMap((await after.signScopeCookies(VIDEO)).cookies);

    expect(old["CloudFront-Key-Pair-Id"]).toBe("K2OLDKEYAAAAAA");
    expect(fresh["CloudFront-Key-Pair-Id"]).toBe("K2NEWKEYBBBBBB");
    expect(verifyCookies(old, trusted)).toBe(true);
    expect(verifyCookies(fresh, trusted)).toBe(true);
    // Once the old key leaves the group, its cookies stop working; the id is what selects the key.
    expect(verifyCookies(old, { K2NEWKEYBBBBBB: trusted.K2NEWKEYBBBBBB })).toBe(false);
    expect(verifyCookies({ ...old, "CloudFront-Key-Pair-Id": "K2NEWKEYBBBBBB" }, trusted)).toBe(
      false,
    );
  });
});

describe("rotation from RSA to ECDSA", () => {
  it("old RSA cookies work until they expire while new ones are ECDSA, both keys trusted", async () => {
    const rsa = testKeyPair("rsa");
    const ecdsa = testKeyPair("ecdsa");
    await writeFile(path.join(root, "old-rsa.pem"), rsa.pem);
    await writeFile(path.join(root, "new-ecdsa.pem"), ecdsa.pem);
    const group = { K2OLDRSAKEY: rsa.publicKey, K2NEWECDSAKEY: ecdsa.publicKey };
    const base = {
      DATA_DIR: dataDir,
      AUTH_URL: "https://videos.example.com",
      SIGNED_COOKIE_TTL_SECONDS: "3600",
    };
    const ttl = 3600 * 1000;

    // Before: the RSA key and SHA-1, as Reelgate signed until ECDSA and SHA-256.
    const before = await load({
      ...base,
      CLOUDFRONT_PRIVATE_KEY_FILE: path.join(root, "old-rsa.pem"),
      CLOUDFRONT_KEY_PAIR_ID: "K2OLDRSAKEY",
      CLOUDFRONT_HASH_ALGORITHM: "SHA1",
    });
    const old = cookieMap((await before.signScopeCookies(VIDEO, { now: NOW })).cookies);
    // After the switch (10 minutes later): the ECDSA key, SHA-256 by default.
    const switchedAt = new Date(NOW.getTime() + 600_000);
    const after = await load({
      ...base,
      CLOUDFRONT_PRIVATE_KEY_FILE: path.join(root, "new-ecdsa.pem"),
      CLOUDFRONT_KEY_PAIR_ID: "K2NEWECDSAKEY",
    });
    const fresh = cookieMap((await after.signScopeCookies(VIDEO, { now: switchedAt })).cookies);

    expect(old["CloudFront-Hash-Algorithm"]).toBeUndefined();
    expect(undo(old["CloudFront-Signature"] ?? "")).toHaveLength(256);
    expect(fresh["CloudFront-Key-Pair-Id"]).toBe("K2NEWECDSAKEY");
    expect(fresh["CloudFront-Hash-Algorithm"]).toBe("SHA256");
    expect([70, 71, 72]).toContain(undo(fresh["CloudFront-Signature"] ?? "").length);

    // Milliseconds after the old set's whole issuing second (its DateLessThan counts from it).
    const at = (
      cookies: Record<string, string>,
      ms: number,
      keys: Record<string, KeyObject> = group,
    ) => edgeVerdict(cookies, keys, NOW_S * 1000 + ms);
    expect(at(old, 600_000)).toMatchObject({ ok: true, keyId: "K2OLDRSAKEY" });
    expect(at(fresh, 600_000)).toMatchObject({ ok: true, keyId: "K2NEWECDSAKEY" });
    expect(at(old, ttl - 1)).toMatchObject({ ok: true });
    expect(at(old, ttl)).toMatchObject({ ok: false, reason: "expired" });
    expect(at(fresh, ttl)).toMatchObject({ ok: true });
    // Once the RSA key leaves the group, only the ECDSA cookies work (and the old would
    // have expired by then anyway).
    const ecdsaOnly = { K2NEWECDSAKEY: ecdsa.publicKey };
    expect(at(old, 600_000, ecdsaOnly)).toMatchObject({ ok: false, reason: "unknown-key" });
    expect(at(fresh, 600_000, ecdsaOnly)).toMatchObject({ ok: true });
    // The key ID is what picks the key: an RSA signature under the ECDSA ID is refused.
    const misnamed = { ...old, "CloudFront-Key-Pair-Id": "K2NEWECDSAKEY" };
    expect(at(misnamed, 600_000)).toMatchObject({ ok: false, reason: "bad-signature" });
  });
});

describe("cookie attributes", () => {
  const expires = new Date((NOW_S + 3600) * 1000);

  it("https origin: Secure, host-only, Path=the folder, HttpOnly, SameSite=Lax", async () => {
    const cf = await load({ DATA_DIR: dataDir, AUTH_URL: "https://videos.example.com" });
    expect(cf.mediaCookieAttributes(VIDEO.path)).toEqual({
      path: "/media/videos/vid123456/",
      httpOnly: true,
      secure: true,
      sameSite: "lax",
    });
    const headers = cf.serializeSetCookies(
      VIDEO,
      [
        { name: "CloudFront-Policy", value: "cG9s" },
        { name: "CloudFront-Key-Pair-Id", value: "K2ABC" },
      ],
      expires,
      NOW,
    );
    expect(headers).toEqual([
      `CloudFront-Policy=cG9s; Path=/media/videos/vid123456/; Expires=${expires.toUTCString()}; Max-Age=3599; HttpOnly; Secure; SameSite=Lax`,
      `CloudFront-Key-Pair-Id=K2ABC; Path=/media/videos/vid123456/; Expires=${expires.toUTCString()}; Max-Age=3599; HttpOnly; Secure; SameSite=Lax`,
    ]);
  });

  it("http origin (local preview): no Secure, or the browser would drop them", async () => {
    const cf = await load({ DATA_DIR: dataDir, AUTH_URL: "http://localhost:3000" });
    expect(cf.mediaCookieAttributes(VIDEO.path).secure).toBe(false);
    const [header] = cf.serializeSetCookies(
      VIDEO,
      [{ name: "CloudFront-Signature", value: "c2ln" }],
      expires,
      NOW,
    );
    expect(header).not.toMatch(/Secure/);
    expect(header).toMatch(/; HttpOnly; SameSite=Lax$/);
  });

  it.each([
    ["example.com", "example.com"],
    [".Example.COM", "example.com"],
    ["videos.example.com", "videos.example.com"],
  ])("Domain %s covering the public host is set as %s", async (domain, expected) => {
    const cf = await load({
      DATA_DIR: dataDir,
      AUTH_URL: "https://videos.example.com",
      SIGNED_COOKIE_DOMAIN: domain,
    });
    expect(cf.mediaCookieAttributes(VIDEO.path).domain).toBe(expected);
    const [header] = cf.serializeSetCookies(
      VIDEO,
      [{ name: "CloudFront-Policy", value: "x" }],
      expires,
      NOW,
    );
    expect(header).toContain(`; Domain=${expected}; Path=/media/videos/vid123456/;`);
    for (const cleared of cf.clearMediaCookieHeaders([VIDEO])) {
      expect(cleared).toContain(`; Domain=${expected}; Path=/media/videos/vid123456/;`);
    }
  });

  it.each([
    ["other.com", "https://videos.example.com", /does not cover/],
    ["ample.com", "https://videos.example.com", /does not cover/],
    ["cdn.example.com", "https://videos.example.com", /does not cover/],
    ["exa mple.com", "https://videos.example.com", /not a domain name/],
    ["example.com", "http://127.0.0.1:3000", /IP address/],
  ])("refuses SIGNED_COOKIE_DOMAIN=%s for %s", async (domain, origin, message) => {
    const cf = await load({ DATA_DIR: dataDir, AUTH_URL: origin, SIGNED_COOKIE_DOMAIN: domain });
    expect(() => cf.mediaCookieAttributes(VIDEO.path)).toThrow(message);
    expect(() => cf.mediaCookieAttributes(VIDEO.path)).toThrow(/SIGNED_COOKIE_DOMAIN/);
  });

  it("clears the four cookies of each folder with Max-Age=0 and that folder's Path", async () => {
    const cf = await load({ DATA_DIR: dataDir, AUTH_URL: "https://videos.example.com" });
    const folders = ["/media/", "/media/videos/vid123456/"];
    expect(cf.clearMediaCookieHeaders(folders.map((path) => ({ path })))).toEqual(
      folders.flatMap((folder) =>
        [
          "CloudFront-Policy",
          "CloudFront-Signature",
          "CloudFront-Key-Pair-Id",
          "CloudFront-Hash-Algorithm",
        ].map(
          (name) =>
            `${name}=; Path=${folder}; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax`,
        ),
      ),
    );
  });

  it("issued cookies serialize with a Max-Age matching the policy expiry", async () => {
    const cf = await load({
      DATA_DIR: dataDir,
      AUTH_URL: "https://videos.example.com",
      SIGNED_COOKIE_TTL_SECONDS: "900",
    });
    const { cookies, expiresAt } = await cf.signScopeCookies(VIDEO, { now: NOW });
    const headers = cf.serializeSetCookies(VIDEO, cookies, expiresAt, new Date(NOW_S * 1000));
    expect(headers).toHaveLength(4);
    for (const h of headers) expect(h).toContain("; Max-Age=900; ");
    expect(headers[3]).toMatch(/^CloudFront-Hash-Algorithm=SHA256; /);
  });
});
