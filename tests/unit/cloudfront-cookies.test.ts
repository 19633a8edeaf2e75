import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";

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

function cookieMap(cookies: { name: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(cookies.map((c) => [c.name, c.value]));
}

/** What the edge does: look the key up by Key-Pair-Id, verify RSA-SHA1 over the policy bytes. */
function verifyCookies(
  cookies: Record<string, string>,
  trusted: Record<string, KeyObject>,
): boolean {
  const key = trusted[cookies["CloudFront-Key-Pair-Id"] ?? ""];
  if (!key) return false;
  const policy = undo(cookies["CloudFront-Policy"] ?? "");
  return verify("RSA-SHA1", policy, key, undo(cookies["CloudFront-Signature"] ?? ""));
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
  it("signs a custom policy for one video's folder that verifies with the dev public key", async () => {
    const cf = await load({ DATA_DIR: dataDir, AUTH_URL: "https://videos.example.com" });
    const { cookies, expiresAt } = await cf.signScopeCookies(VIDEO, { now: NOW });

    expect(cookies.map((c) => c.name)).toEqual([
      "CloudFront-Policy",
      "CloudFront-Signature",
      "CloudFront-Key-Pair-Id",
    ]);
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
    expect(verifyCookies(map, { [id]: publicKey })).toBe(true);

    // The check above can fail: a changed policy no longer verifies.
    const tampered = undo(map["CloudFront-Policy"] ?? "")
      .toString()
      .replace(/\d{10}/, "9999999999");
    const forged = { ...map, "CloudFront-Policy": Buffer.from(tampered).toString("base64") };
    expect(verifyCookies(forged, { [id]: publicKey })).toBe(false);
  });

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

  it("clears the three cookies of each folder with Max-Age=0 and that folder's Path", async () => {
    const cf = await load({ DATA_DIR: dataDir, AUTH_URL: "https://videos.example.com" });
    const folders = ["/media/", "/media/videos/vid123456/"];
    expect(cf.clearMediaCookieHeaders(folders.map((path) => ({ path })))).toEqual(
      folders.flatMap((folder) =>
        ["CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id"].map(
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
    expect(headers).toHaveLength(3);
    for (const h of headers) expect(h).toContain("; Max-Age=900; ");
  });
});
