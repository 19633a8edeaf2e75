import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import net from "node:net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createEdgeServer, parseRange, safeJoin } from "@/edge/server";
import type { Verdict } from "@/edge/cloudfront";

// The edge in-process, in front of a tiny real HTTP server standing in for the API
// server, so proxying is tested byte for byte.

let tmp: string;
let upstream: http.Server;
let edge: http.Server;
let lockedEdge: http.Server;
let base: string;
let lockedBase: string;
let grant = false;
const seen: { method?: string; body?: string; headers?: http.IncomingHttpHeaders } = {};

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
}

const verify = (): Verdict =>
  grant
    ? { ok: true, via: "cookie", policy: "custom", keyId: "K", expiresAt: Date.now() + 60_000 }
    : {
        ok: false,
        status: 403,
        code: "MissingKey",
        message: "Missing Key-Pair-Id query parameter or cookie value",
        reason: "missing-key-pair-id",
      };

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "edge-"));
  const site = path.join(tmp, "out");
  const bucket = path.join(tmp, "bucket");
  mkdirSync(path.join(site, "_next/static/chunks"), { recursive: true });
  mkdirSync(path.join(bucket, "media/videos/v1"), { recursive: true });
  writeFileSync(path.join(site, "index.html"), "<h1>home</h1>");
  writeFileSync(path.join(site, "videos.html"), "<h1>videos</h1>");
  writeFileSync(path.join(site, "admin.html"), "<h1>admin</h1>");
  writeFileSync(path.join(site, "404.html"), "<h1>not found</h1>");
  writeFileSync(path.join(site, "_next/static/chunks/app.js"), "console.log(1)");
  writeFileSync(path.join(bucket, "media/videos/v1/seg.ts"), Buffer.from("0123456789"));
  writeFileSync(path.join(tmp, "secret.txt"), "outside");

  upstream = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.method = req.method;
      seen.body = Buffer.concat(chunks).toString();
      seen.headers = req.headers;
      res.setHeader("set-cookie", ["a=1; Path=/; HttpOnly", "b=2; Path=/media/"]);
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ echoed: seen.body.length }));
    });
  });
  const apiPort = await listen(upstream);
  const options = {
    siteDir: site,
    bucketDir: bucket,
    api: { host: "127.0.0.1", port: apiPort },
    verify,
    publicOrigin: "http://localhost:3000",
  };
  edge = createEdgeServer({ ...options, adminCidrs: ["127.0.0.0/8", "::1/128"] });
  lockedEdge = createEdgeServer({ ...options, adminCidrs: ["203.0.113.0/24"] });
  base = `http://127.0.0.1:${await listen(edge)}`;
  lockedBase = `http://127.0.0.1:${await listen(lockedEdge)}`;
});

afterAll(() => {
  for (const s of [edge, lockedEdge, upstream]) s.closeAllConnections();
  edge.close();
  lockedEdge.close();
  upstream.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A raw request, so paths are sent exactly as written (fetch would normalize them). */
function raw(
  port: string,
  requestLine: string,
  extraHeaders = "",
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(port).port), "127.0.0.1");
    let data = "";
    socket.on("data", (c) => (data += c.toString("latin1")));
    socket.on("end", () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf("\r\n\r\n") + 4) });
    });
    socket.on("error", reject);
    socket.write(`${requestLine}\r\nHost: localhost\r\nConnection: close\r\n${extraHeaders}\r\n`);
  });
}

describe("default behavior (site)", () => {
  it("serves pages through the viewer-request function with the right type", async () => {
    const res = await fetch(`${base}/videos`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toBe("<h1>videos</h1>");
  });

  it("marks /_next/static/* immutable and HTML revalidated", async () => {
    const js = await fetch(`${base}/_next/static/chunks/app.js`);
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(js.headers.get("content-type")).toContain("text/javascript");
    const html = await fetch(`${base}/`);
    expect(html.headers.get("cache-control")).toContain("max-age=0");
  });

  it("answers a missing /_next/static file with a 404 that no one caches", async () => {
    const res = await fetch(`${base}/_next/static/chunks/gone.js`);
    expect(res.status).toBe(404);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("answers unknown pages with the 404 page", async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("<h1>not found</h1>");
  });

  it("refuses methods other than GET and HEAD", async () => {
    const res = await fetch(`${base}/videos`, { method: "POST", body: "x" });
    expect(res.status).toBe(403);
  });
});

describe("/api/* proxy", () => {
  it("passes a POST body and every Set-Cookie header through", async () => {
    const body = JSON.stringify({ hello: "world".repeat(1000) });
    const res = await fetch(`${base}/api/anything?x=1`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-forwarded-for": "6.6.6.6",
        "cloudfront-viewer-address": "6.6.6.6:1",
      },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ echoed: body.length });
    expect(seen.method).toBe("POST");
    expect(seen.body).toBe(body);
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/; HttpOnly", "b=2; Path=/media/"]);
  });

  it("passes a chunked body of a DELETE through, framed as it came", async () => {
    // Node's client frames no body of a DELETE unless told to: the API would see none and
    // take the bytes that follow for the next request.
    const body = JSON.stringify({ paths: ["/media/videos/abc/"] });
    const res = await fetch(`${base}/api/signed-cookies`, {
      method: "DELETE",
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        },
      }),
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(201);
    expect(seen.method).toBe("DELETE");
    expect(seen.body).toBe(body);
    expect(seen.headers?.["transfer-encoding"]).toBe("chunked");
  });

  it("replaces client-supplied address headers with the real peer", async () => {
    await fetch(`${base}/api/x`, {
      headers: { "x-forwarded-for": "6.6.6.6", "cloudfront-viewer-address": "6.6.6.6:1" },
    });
    expect(seen.headers?.["x-forwarded-for"]).toBe("127.0.0.1");
    expect(seen.headers?.["cloudfront-viewer-address"]).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("answers 502 JSON when the API server is down, never a page", async () => {
    const down = createEdgeServer({
      siteDir: tmp,
      bucketDir: tmp,
      api: { host: "127.0.0.1", port: 1 },
      adminCidrs: [],
      verify,
      publicOrigin: "http://localhost",
    });
    const port = await listen(down);
    const res = await fetch(`http://127.0.0.1:${port}/api/health`);
    down.close();
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad_gateway");
  });
});

describe("/media/* behavior", () => {
  it("denies without credentials with CloudFront's XML", async () => {
    grant = false;
    const res = await fetch(`${base}/media/videos/v1/seg.ts`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("<Code>MissingKey</Code>");
  });

  it("serves objects and byte ranges when the verifier grants", async () => {
    grant = true;
    const whole = await fetch(`${base}/media/videos/v1/seg.ts`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("video/mp2t");
    expect(await whole.text()).toBe("0123456789");
    const part = await fetch(`${base}/media/videos/v1/seg.ts`, { headers: { range: "bytes=2-5" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 2-5/10");
    expect(await part.text()).toBe("2345");
    const bad = await fetch(`${base}/media/videos/v1/seg.ts`, { headers: { range: "bytes=50-" } });
    expect(bad.status).toBe(416);
    const missing = await fetch(`${base}/media/videos/v1/none.ts`);
    expect(missing.status).toBe(403);
    grant = false;
  });
});

describe("admin allow-list", () => {
  it("lets loopback in when it is listed", async () => {
    expect((await fetch(`${base}/admin`)).status).toBe(200);
  });

  it.each(["/admin", "/admin/", "/admin/videos", "/adminx", "/api/admin/users"])(
    "answers %s with the 403 page when the peer is not listed, whatever X-Forwarded-For says",
    async (p) => {
      const res = await fetch(`${lockedBase}${p}`, {
        headers: { "x-forwarded-for": "203.0.113.7" },
      });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("Admin area unavailable");
    },
  );

  // The API server resolves these to admin routes, and the WAF rule decodes and
  // normalizes the path before matching it: so does the preview.
  it.each([
    "/api/%2e%2e/api/admin/users",
    "/api/me/%2E%2E/admin/users",
    "/api/x/../admin/users",
    "/api//admin/users",
    "/API/Admin/users",
    "/api/%61dmin/users",
    "/%41dmin",
  ])("answers %s with the 403 page as the WAF would", async (p) => {
    const res = await raw(lockedBase, `GET ${p} HTTP/1.1`);
    expect(res.status).toBe(403);
    expect(res.body).toContain("Admin area unavailable");
  });
});

describe("hostile paths and headers", () => {
  it.each([
    "GET /../secret.txt HTTP/1.1",
    "GET /%2e%2e/secret.txt HTTP/1.1",
    "GET /%2E%2E%2Fsecret.txt HTTP/1.1",
    "GET /..%2fsecret.txt HTTP/1.1",
    "GET /videos/%2e%2e/%2e%2e/secret.txt HTTP/1.1",
    "GET /%00 HTTP/1.1",
    "GET /%E0%A4%A HTTP/1.1",
    "GET /a%5c..%5csecret.txt HTTP/1.1",
    "GET http://evil.example/ HTTP/1.1",
  ])("%s -> 4xx, never the file", async (line) => {
    const res = await raw(base, line);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).not.toContain("outside");
  });

  it("media traversal never leaves the bucket even with a grant", async () => {
    grant = true;
    const res = await raw(base, "GET /media/%2e%2e/%2e%2e/secret.txt HTTP/1.1");
    grant = false;
    expect(res.status).toBe(400);
    expect(res.body).not.toContain("outside");
  });

  it("huge headers get 431 and the edge keeps serving", async () => {
    const res = await raw(base, "GET / HTTP/1.1", `X-Big: ${"a".repeat(64 * 1024)}\r\n`);
    expect(res.status).toBe(431);
    expect((await fetch(`${base}/`)).status).toBe(200);
  });
});

describe("helpers", () => {
  it("safeJoin refuses escapes", () => {
    expect(() => safeJoin("/srv", "/../etc/passwd")).toThrow();
    expect(() => safeJoin("/srv", "/%2e%2e/etc")).toThrow();
    expect(safeJoin("/srv", "/a/b.txt")).toBe("/srv/a/b.txt");
  });

  it.each([
    ["bytes=0-0", 10, [0, 0]],
    ["bytes=5-", 10, [5, 9]],
    ["bytes=-3", 10, [7, 9]],
    ["bytes=3-100", 10, [3, 9]],
    ["bytes=10-", 10, "unsatisfiable"],
    ["bytes=5-2", 10, "unsatisfiable"],
    ["bytes=0-1,3-4", 10, null],
    ["items=0-1", 10, null],
  ] as const)("parseRange(%s, %d)", (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});
