import http from "node:http";
import net from "node:net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createEdgeServer } from "@/edge/server";
import { createVerifier } from "@/edge/cloudfront";
import { chromiumArgs, chromiumPath } from "../support/chromium";
import { testKeyPair } from "../support/cloudfront-keys";

// A real Chromium keeps the cookies the issuer sets, as members' browsers do, and sends
// them through the preview edge's own check. Between issuances the issuer's configuration
// changes (the hash, the key), as it does across a deploy: what the browser holds after
// each must still open the media, and sign-out must leave nothing behind.

type Issuer = typeof import("@/lib/cloudfront");

const tmp = mkdtempSync(path.join(os.tmpdir(), "cookie-sets-"));
const SEGMENT = "/media/videos/v1/hls/720p/seg_1.m4s";
/** The video's folder: the cookies' Path and the policy's Resource. */
const SCOPE = { path: "/media/videos/v1/" };
const rsa = testKeyPair("rsa");
const ecdsa = testKeyPair("ecdsa");
const KEY_FILES = { rsa: path.join(tmp, "rsa.pem"), ecdsa: path.join(tmp, "ecdsa.pem") };
const KEY_IDS = { rsa: "K2RSAKEYAAAAAA", ecdsa: "K2ECDSAKEYBBBB" };

let issuer: Issuer;
/** Drop the issuer's `clear` entries: a set that forgets the cookie it does not send. */
let forgetClears = false;
let upstream: http.Server;
let edge: http.Server;
let browser: Browser;
let base: string;

function listen(server: http.Server, port = 0): Promise<number> {
  return new Promise((resolve) =>
    server.listen(port, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
}

/** The issuer as an API server configured with `vars` would run it. */
async function configure(vars: Record<string, string>): Promise<void> {
  const unset = undefined as unknown as string;
  for (const [name, value] of Object.entries({
    DATA_DIR: path.join(tmp, "data"),
    AUTH_URL: base,
    CLOUDFRONT_PRIVATE_KEY_PARAMETER: unset,
    CLOUDFRONT_HASH_ALGORITHM: unset,
    SIGNED_COOKIE_DOMAIN: unset,
    SIGNED_COOKIE_SOURCE_IP: unset,
    ...vars,
  }))
    vi.stubEnv(name, value);
  vi.resetModules();
  issuer = await import("@/lib/cloudfront");
}

beforeAll(async () => {
  writeFileSync(KEY_FILES.rsa, rsa.pem);
  writeFileSync(KEY_FILES.ecdsa, ecdsa.pem);
  const site = path.join(tmp, "out");
  const bucket = path.join(tmp, "bucket");
  mkdirSync(site, { recursive: true });
  mkdirSync(path.join(bucket, path.dirname(SEGMENT)), { recursive: true });
  writeFileSync(path.join(site, "index.html"), "<!doctype html><title>t</title>");
  writeFileSync(path.join(site, "404.html"), "not found");
  writeFileSync(path.join(bucket, SEGMENT), "segment bytes");

  // Stands in for the API server: the two methods of /api/signed-cookies for one video's
  // folder, on the real issuer (lib/playback adds the access rules around these calls).
  upstream = http.createServer((req, res) => {
    void (async () => {
      let headers: string[];
      if (req.method === "DELETE") {
        headers = issuer.clearMediaCookieHeaders([SCOPE]);
      } else {
        const { cookies, expiresAt } = await issuer.signScopeCookies(SCOPE);
        headers = issuer.serializeSetCookies(
          SCOPE,
          forgetClears ? cookies.filter((c) => !c.clear) : cookies,
          expiresAt,
        );
      }
      res.writeHead(200, { "set-cookie": headers, "content-type": "application/json" });
      res.end("{}");
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  const apiPort = await listen(upstream);
  // The edge's public origin must be known before it listens: take a free port first.
  const probe = http.createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  base = `http://localhost:${port}`;
  edge = createEdgeServer({
    siteDir: site,
    bucketDir: bucket,
    api: { host: "127.0.0.1", port: apiPort },
    adminCidrs: [],
    // The key group during a rotation from RSA to ECDSA: both keys.
    verify: createVerifier([
      { id: KEY_IDS.rsa, publicKey: rsa.publicKey },
      { id: KEY_IDS.ecdsa, publicKey: ecdsa.publicKey },
    ]),
    publicOrigin: base,
  });
  await listen(edge, port);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const server of [edge, upstream]) {
    server?.closeAllConnections();
    server?.close();
  }
  vi.unstubAllEnvs();
  rmSync(tmp, { recursive: true, force: true });
});

/** Asks for cookies (POST) or signs out (DELETE) from the page, then fetches a segment. */
async function call(page: Page, method: "POST" | "DELETE"): Promise<number> {
  return page.evaluate(
    async ({ method, segment }) => {
      await fetch("/api/signed-cookies", { method });
      // Past the HTTP cache: segments are immutable, and the edge must see every request.
      return (await fetch(segment, { cache: "no-store" })).status;
    },
    { method, segment: SEGMENT },
  );
}

async function mediaCookies(page: Page): Promise<Record<string, string>> {
  const all = await page.context().cookies();
  return Object.fromEntries(
    all.filter((c) => c.name.startsWith("CloudFront-")).map((c) => [c.name, c.value]),
  );
}

async function freshPage(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${base}/`);
  return page;
}

const ecdsaSha256 = {
  CLOUDFRONT_PRIVATE_KEY_FILE: KEY_FILES.ecdsa,
  CLOUDFRONT_KEY_PAIR_ID: KEY_IDS.ecdsa,
};
const rsaSha1 = {
  CLOUDFRONT_PRIVATE_KEY_FILE: KEY_FILES.rsa,
  CLOUDFRONT_KEY_PAIR_ID: KEY_IDS.rsa,
  CLOUDFRONT_HASH_ALGORITHM: "SHA1",
};

describe("cookie sets in a browser, across issuer changes", () => {
  it("a SHA-1 set replaces a SHA-256 one whole: the hash cookie is expired, the media opens", async () => {
    const page = await freshPage();
    await configure(ecdsaSha256);
    expect(await call(page, "POST")).toBe(200);
    expect(Object.keys(await mediaCookies(page)).sort()).toEqual([
      "CloudFront-Hash-Algorithm",
      "CloudFront-Key-Pair-Id",
      "CloudFront-Policy",
      "CloudFront-Signature",
    ]);

    // Rolled back to RSA and SHA-1 (or CLOUDFRONT_HASH_ALGORITHM=SHA1 set): the next renewal.
    await configure(rsaSha1);
    expect(await call(page, "POST")).toBe(200);
    const after = await mediaCookies(page);
    expect(after["CloudFront-Hash-Algorithm"]).toBeUndefined();
    expect(after["CloudFront-Key-Pair-Id"]).toBe(KEY_IDS.rsa);

    // And back to ECDSA with SHA-256: the fourth cookie returns.
    await configure(ecdsaSha256);
    expect(await call(page, "POST")).toBe(200);
    expect((await mediaCookies(page))["CloudFront-Hash-Algorithm"]).toBe("SHA256");
    await page.context().close();
  });

  it("without the expiry of the hash cookie, the browser keeps SHA256 and the edge refuses", async () => {
    // The trap the clear entry is there for; if this passed, the test above would prove nothing.
    const page = await freshPage();
    await configure(ecdsaSha256);
    expect(await call(page, "POST")).toBe(200);
    await configure(rsaSha1);
    forgetClears = true;
    try {
      expect(await call(page, "POST")).toBe(403);
      expect((await mediaCookies(page))["CloudFront-Hash-Algorithm"]).toBe("SHA256");
    } finally {
      forgetClears = false;
    }
    await page.context().close();
  });

  it("sign-out clears all four cookies", async () => {
    const page = await freshPage();
    await configure(ecdsaSha256);
    expect(await call(page, "POST")).toBe(200);
    expect(Object.keys(await mediaCookies(page))).toHaveLength(4);
    expect(await call(page, "DELETE")).toBe(403);
    expect(await mediaCookies(page)).toEqual({});
    await page.context().close();
  });
});
