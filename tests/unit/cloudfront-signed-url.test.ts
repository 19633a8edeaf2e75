import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AppError as AppErrorClass } from "@/lib/errors";
import { createVerifier } from "@/edge/cloudfront";

const dataDir = await mkdtemp(path.join(tmpdir(), "reelgate-urls-"));
const ORIGIN = "https://videos.example.com";
const NOW = new Date("2026-03-01T12:00:00Z");
const NOW_S = NOW.getTime() / 1000;

let cf: typeof import("@/lib/cloudfront");
// Loaded after resetModules with the module under test, or instanceof would compare two classes.
let AppError: typeof AppErrorClass;

beforeAll(async () => {
  vi.stubEnv("DATA_DIR", dataDir);
  vi.stubEnv("AUTH_URL", ORIGIN);
  vi.stubEnv("SIGNED_URL_DEFAULT_TTL_SECONDS", "300");
  vi.stubEnv("SIGNED_URL_MAX_TTL_SECONDS", "86400");
  for (const name of [
    "CLOUDFRONT_KEY_PAIR_ID",
    "CLOUDFRONT_PRIVATE_KEY_FILE",
    "CLOUDFRONT_PRIVATE_KEY_PARAMETER",
    "CLOUDFRONT_HASH_ALGORITHM",
  ]) {
    vi.stubEnv(name, undefined);
  }
  vi.resetModules();
  cf = await import("@/lib/cloudfront");
  ({ AppError } = await import("@/lib/errors"));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(dataDir, { recursive: true, force: true });
});

function undo(value: string): Buffer {
  return Buffer.from(value.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");
}

async function devKey(): Promise<{ id: string; publicKey: KeyObject }> {
  const keysDir = path.join(dataDir, "keys");
  const id = (await readFile(path.join(keysDir, "key-pair-id"), "utf8")).trim();
  return { id, publicKey: createPublicKey(await readFile(path.join(keysDir, "public.pem"))) };
}

/**
 * CloudFront's check of a canned-policy URL: rebuild the policy from the URL, verify with
 * the hash it names (SHA-1 when it names none). The edge's verifier must agree.
 */
async function verifyCannedUrl(
  signed: string,
): Promise<{ ok: boolean; resource: string; expires: number }> {
  const url = new URL(signed);
  const expires = Number(url.searchParams.get("Expires"));
  const resource = `${url.origin}${url.pathname}`;
  const policy = `{"Statement":[{"Resource":"${resource}","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
  const { id, publicKey } = await devKey();
  const hash = url.searchParams.get("Hash-Algorithm") === "SHA256" ? "sha256" : "sha1";
  const ok =
    url.searchParams.get("Key-Pair-Id") === id &&
    verify(hash, Buffer.from(policy), publicKey, undo(url.searchParams.get("Signature") ?? ""));
  const edge = createVerifier([{ id, publicKey }])({
    url: signed,
    cookies: {},
    sourceIp: "203.0.113.9",
    now: NOW.getTime(),
  });
  expect(edge.ok).toBe(ok);
  return { ok, resource, expires };
}

describe("createSignedUrl", () => {
  it.each([
    [
      "/media/videos/abc123/hls/master.m3u8",
      undefined,
      "/media/videos/abc123/hls/master.m3u8",
      300,
    ],
    ["/media/videos/abc123/poster.jpg", 60, "/media/videos/abc123/poster.jpg", 60],
    [
      "/media/videos/a_b-c.d~e/720p/seg_00001.ts",
      86400,
      "/media/videos/a_b-c.d~e/720p/seg_00001.ts",
      86400,
    ],
    ["/media/videos/%61bc/poster.jpg", 1, "/media/videos/abc/poster.jpg", 1],
    ["/media/x", undefined, "/media/x", 300],
  ])("signs %s (expiresIn %s) with a canned policy", async (input, expiresIn, signedPath, ttl) => {
    const { url, expiresAt } = await cf.createSignedUrl({ path: input, expiresIn }, { now: NOW });
    const parsed = new URL(url);
    // Canned policy: Expires instead of Policy, and SHA-256 by default.
    expect([...parsed.searchParams.keys()]).toEqual([
      "Expires",
      "Key-Pair-Id",
      "Signature",
      "Hash-Algorithm",
    ]);
    expect(parsed.searchParams.get("Hash-Algorithm")).toBe("SHA256");
    expect(url.startsWith(`${ORIGIN}${signedPath}?Expires=${NOW_S + ttl}&`)).toBe(true);
    expect(expiresAt.getTime()).toBe((NOW_S + ttl) * 1000);
    const check = await verifyCannedUrl(url);
    expect(check).toEqual({ ok: true, resource: `${ORIGIN}${signedPath}`, expires: NOW_S + ttl });
  });

  it("signs with the ECDSA P-256 dev key: a 70 to 72 byte DER signature", async () => {
    const { url } = await cf.createSignedUrl({ path: "/media/videos/a/poster.jpg" }, { now: NOW });
    const { publicKey } = await devKey();
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    const signature = undo(new URL(url).searchParams.get("Signature") ?? "");
    expect([70, 71, 72]).toContain(signature.length);
    expect(signature[0]).toBe(0x30); // a DER SEQUENCE of r and s
    // Named SHA256 but verified as SHA-1 (the parameter dropped), it fails.
    expect((await verifyCannedUrl(url.replace("&Hash-Algorithm=SHA256", ""))).ok).toBe(false);
  });

  it("CLOUDFRONT_HASH_ALGORITHM=SHA1 signs SHA-1 and names no hash, as CloudFront assumes", async () => {
    vi.stubEnv("CLOUDFRONT_HASH_ALGORITHM", "SHA1");
    vi.resetModules();
    try {
      const sha1 = await import("@/lib/cloudfront");
      const { url } = await sha1.createSignedUrl({ path: "/media/x" }, { now: NOW });
      expect([...new URL(url).searchParams.keys()]).toEqual([
        "Expires",
        "Key-Pair-Id",
        "Signature",
      ]);
      expect((await verifyCannedUrl(url)).ok).toBe(true);
      expect((await verifyCannedUrl(`${url}&Hash-Algorithm=SHA256`)).ok).toBe(false);
    } finally {
      vi.stubEnv("CLOUDFRONT_HASH_ALGORITHM", undefined);
    }
  });

  it("a URL for one object does not verify for another", async () => {
    const { url } = await cf.createSignedUrl({ path: "/media/videos/a/poster.jpg" }, { now: NOW });
    const moved = url.replace("/videos/a/", "/videos/b/");
    expect((await verifyCannedUrl(moved)).ok).toBe(false);
  });

  it.each([
    ["/media/videos/../../uploads/x.mp4", "bad_request", /traversal/],
    ["/media/videos/%2e%2e/uploads/x.mp4", "bad_request", /traversal/],
    ["/media/videos/%2E%2E/x", "bad_request", /traversal/],
    ["/media/./x", "bad_request", /traversal/],
    ["/media/..", "bad_request", /traversal/],
    ["/media/videos/*", "bad_request", /Wildcards/],
    ["/media/videos/%2A", "bad_request", /Encoded wildcards/],
    ["/media/videos/a/seg?.ts", "bad_request", /\?/],
    ["/media/videos/a/master.m3u8?x=1", "bad_request", /Query strings/],
    ["/media/videos/a/master.m3u8%3Fx=1", "bad_request", /Encoded/],
    ["/media/videos/a#frag", "bad_request", /Fragments/],
    ["/other/x", "bad_request", /start with \/media\//],
    ["/uploads/abc/original.mp4", "bad_request", /start with \/media\//],
    ["media/videos/a/poster.jpg", "bad_request", /start with \/media\//],
    ["//media/videos/a/poster.jpg", "bad_request", /start with \/media\//],
    ["/MEDIA/videos/a/poster.jpg", "bad_request", /start with \/media\//],
    ["https://evil.example/media/x", "bad_request", /start with \/media\//],
    ["/media/", "bad_request", /one object/],
    ["/media/videos/a/", "bad_request", /one object/],
    ["/media//videos/a", "bad_request", /one object/],
    ["/media/videos/%252e%252e/x", "bad_request", /Double percent-encoding/],
    ["/media/videos/%zz", "bad_request", /malformed percent-encoding/],
    ["/media/videos/a b.jpg", "bad_request", /may only contain/],
    ["/media/videos\\..\\x", "bad_request", /may only contain/],
    ["/media/videos/caf%C3%A9.jpg", "bad_request", /may only contain/],
  ])("refuses path %s with %s", async (input, code, message) => {
    const err = await cf.createSignedUrl({ path: input }, { now: NOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppErrorClass).code).toBe(code);
    expect((err as AppErrorClass).status).toBe(400);
    expect((err as AppErrorClass).message).toMatch(message);
  });

  it.each([
    [86401, /at most 86400/],
    [10 ** 12, /at most 86400/],
    [0, /positive/],
    [-60, /positive/],
    [1.5, /whole number/],
    [Number.NaN, /whole number/],
    [Number.POSITIVE_INFINITY, /whole number/],
  ])("refuses expiresIn %s with 422", async (expiresIn, message) => {
    const err = await cf
      .createSignedUrl({ path: "/media/videos/a/poster.jpg", expiresIn }, { now: NOW })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppErrorClass).code).toBe("unprocessable");
    expect((err as AppErrorClass).status).toBe(422);
    expect((err as AppErrorClass).message).toMatch(message);
  });
});

describe("signedUrlInput", () => {
  it.each([
    [{ path: "/media/x" }, true],
    [{ path: "/media/x", expiresIn: 60 }, true],
    [{ path: "/media/x", extra: 1 }, true],
    [{}, false],
    [{ path: "" }, false],
    [{ path: 42 }, false],
    [{ path: "/media/x", expiresIn: "60" }, false],
    [{ path: "/media/x", expiresIn: 1.5 }, false],
    [{ path: "/media/x", expiresIn: -1 }, false],
    [{ path: "/media/x", expiresIn: 0 }, false],
    [{ path: "/media/x", expiresIn: null }, false],
    [{ path: `/media/${"a".repeat(2000)}` }, false],
  ])("parses %j: %s", (body, ok) => {
    expect(cf.signedUrlInput.safeParse(body).success).toBe(ok);
  });
});
