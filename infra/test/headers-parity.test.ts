import http from "node:http";
import type net from "node:net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchWildcard } from "../../edge/cloudfront/wildcard";
import { createEdgeServer } from "../../edge/server";
import { distributionConfig, synthesize, type Behavior, type Synthesized } from "./synth";

// The issue "the preview edge and CDK send the same response headers", proved end to end:
// the synthesized CloudFront response headers policies, rendered into HTTP headers the
// way CloudFront renders them (written here from the CloudFormation schema, not from
// edge/security-headers.ts), against what the running preview edge actually sends for
// a page, an /api answer and a /media object. A header changed on either side fails it.

interface Override {
  Override: boolean;
}
interface ResponseHeadersPolicyConfig {
  Name?: string;
  Comment?: string;
  SecurityHeadersConfig?: {
    StrictTransportSecurity?: Override & {
      AccessControlMaxAgeSec: number;
      IncludeSubdomains?: boolean;
      Preload?: boolean;
    };
    ContentTypeOptions?: Override;
    FrameOptions?: Override & { FrameOption: string };
    ReferrerPolicy?: Override & { ReferrerPolicy: string };
    ContentSecurityPolicy?: Override & { ContentSecurityPolicy: string };
  } & Record<string, unknown>;
  CustomHeadersConfig?: { Items: (Override & { Header: string; Value: string })[] };
  RemoveHeadersConfig?: { Items: { Header: string }[] };
}

/** What CloudFront does to a response under one policy. */
interface CloudFrontHeaders {
  /** Set on every answer, replacing the origin's (every entry is `Override: true`). */
  set: Record<string, string>;
  /** Dropped from the origin's answer. */
  remove: string[];
}

const KNOWN_CONFIG = ["Name", "Comment", "SecurityHeadersConfig", "CustomHeadersConfig"];
const KNOWN_SECURITY = [
  "StrictTransportSecurity",
  "ContentTypeOptions",
  "FrameOptions",
  "ReferrerPolicy",
  "ContentSecurityPolicy",
];

function cloudFrontHeaders(config: ResponseHeadersPolicyConfig): CloudFrontHeaders {
  // The edge implements exactly these settings, all overriding; anything else (CORS,
  // X-XSS-Protection, Server-Timing, Override: false) needs the edge taught first.
  const unknown = [
    ...Object.keys(config).filter((k) => ![...KNOWN_CONFIG, "RemoveHeadersConfig"].includes(k)),
    ...Object.keys(config.SecurityHeadersConfig ?? {}).filter((k) => !KNOWN_SECURITY.includes(k)),
  ];
  expect(unknown, "policy settings the preview edge does not implement").toEqual([]);
  const sec = config.SecurityHeadersConfig ?? {};
  const set: Record<string, string> = {};
  const hsts = sec.StrictTransportSecurity;
  if (hsts) {
    set["strict-transport-security"] = [
      `max-age=${hsts.AccessControlMaxAgeSec}`,
      ...(hsts.IncludeSubdomains ? ["includeSubDomains"] : []),
      ...(hsts.Preload ? ["preload"] : []),
    ].join("; ");
  }
  if (sec.ContentTypeOptions) set["x-content-type-options"] = "nosniff";
  if (sec.FrameOptions) set["x-frame-options"] = sec.FrameOptions.FrameOption;
  if (sec.ReferrerPolicy) set["referrer-policy"] = sec.ReferrerPolicy.ReferrerPolicy;
  if (sec.ContentSecurityPolicy)
    set["content-security-policy"] = sec.ContentSecurityPolicy.ContentSecurityPolicy;
  for (const item of config.CustomHeadersConfig?.Items ?? [])
    set[item.Header.toLowerCase()] = item.Value;
  const overrides = [
    ...KNOWN_SECURITY.map((k) => (sec as Record<string, Override | undefined>)[k]),
    ...(config.CustomHeadersConfig?.Items ?? []),
  ].filter((o) => o !== undefined);
  expect(overrides.every((o) => o.Override)).toBe(true);
  const remove = (config.RemoveHeadersConfig?.Items ?? []).map((i) => i.Header.toLowerCase());
  return { set, remove };
}

/**
 * THE ONE DELIBERATE DIFFERENCE. CloudFront only serves these behaviors over https; the
 * preview edge with an http public origin (the `npm start` default) leaves out what only
 * means something over TLS: Strict-Transport-Security (browsers ignore it on http, RFC
 * 6797 section 8.1) and the CSP directive `upgrade-insecure-requests` (it would send the
 * page's own requests to an https port nothing listens on). With an https public origin
 * the edge sends exactly CloudFront's headers.
 */
function overPlainHttp(headers: Record<string, string>): Record<string, string> {
  const { "strict-transport-security": _hsts, ...rest } = headers;
  const csp = rest["content-security-policy"];
  if (csp !== undefined) {
    rest["content-security-policy"] = csp
      .split("; ")
      .filter((d) => d !== "upgrade-insecure-requests")
      .join("; ");
  }
  return rest;
}

/**
 * Headers an answer carries that no response headers policy governs: the origin's own
 * (type, length, validators, ranges, caching, cookies) and the connection's. Any other
 * header the edge sends must come from the policy, so one added to the edge alone fails.
 */
const ORIGIN_HEADERS = new Set([
  "content-type",
  "content-length",
  "cache-control",
  "etag",
  "last-modified",
  "accept-ranges",
  "set-cookie",
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
]);

/** One request per behavior of the distribution; the test checks they cover them all. */
const SAMPLES = [
  { what: "a page", path: "/" },
  { what: "a missing page (the site's 404)", path: "/no-such-page" },
  { what: "an admin page", path: "/admin" },
  { what: "a hashed asset", path: "/_next/static/chunks/app.js" },
  { what: "an /api answer", path: "/api/me" },
  { what: "an /api/admin answer", path: "/api/admin/users" },
  { what: "a /media playlist", path: "/media/videos/v1/master.m3u8" },
  { what: "a /media segment", path: "/media/videos/v1/seg.ts" },
  { what: "a catalog image", path: "/media/posters/members/v1.jpg" },
] as const;

/** What the stand-in API answers: headers every policy must override or remove. */
const API_ANSWER_HEADERS = {
  "content-type": "application/json",
  "cache-control": "no-store",
  server: "stand-in-api",
  "x-frame-options": "SAMEORIGIN",
  "content-security-policy": "default-src *",
  "referrer-policy": "unsafe-url",
};

let s: Synthesized;
let tmp: string;
const servers: http.Server[] = [];
const edges: Record<"http" | "https", string> = { http: "", https: "" };

function listen(server: http.Server): Promise<number> {
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
}

beforeAll(async () => {
  s = synthesize();
  tmp = mkdtempSync(path.join(tmpdir(), "reelgate-parity-"));
  const files: Record<string, string> = {
    "out/index.html": "<h1>home</h1>",
    "out/admin.html": "<h1>admin</h1>",
    "out/404.html": "<h1>not found</h1>",
    "out/_next/static/chunks/app.js": "console.log(1)",
    "bucket/media/videos/v1/master.m3u8": "#EXTM3U\n",
    "bucket/media/videos/v1/seg.ts": "0123456789",
    "bucket/media/posters/members/v1.jpg": "jpeg",
  };
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(tmp, name)), { recursive: true });
    writeFileSync(path.join(tmp, name), body);
  }
  const api = http.createServer((_req, res) => {
    res.writeHead(200, API_ANSWER_HEADERS);
    res.end("{}");
  });
  const apiPort = await listen(api);
  for (const scheme of ["http", "https"] as const) {
    const edge = createEdgeServer({
      siteDir: path.join(tmp, "out"),
      bucketDir: path.join(tmp, "bucket"),
      api: { host: "127.0.0.1", port: apiPort },
      adminCidrs: ["127.0.0.0/8"],
      verify: () => ({ ok: true, via: "cookie", policy: "custom", keyId: "K", expiresAt: 0 }),
      publicOrigin: `${scheme}://reelgate.example`,
    });
    edges[scheme] = `http://127.0.0.1:${await listen(edge)}`;
  }
});

afterAll(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  rmSync(tmp, { recursive: true, force: true });
});

/** The behavior CloudFront picks for `pathname`: the first matching pattern, else the default. */
function behaviorFor(pathname: string): Behavior {
  const dc = distributionConfig(s);
  return (
    dc.CacheBehaviors.find((b) => matchWildcard(b.PathPattern!, pathname)) ??
    dc.DefaultCacheBehavior
  );
}

function policyOf(behavior: Behavior): CloudFrontHeaders {
  const id = (behavior.ResponseHeadersPolicyId as { Ref: string }).Ref;
  const resource = s.json.Resources[id]!;
  expect(resource.Type).toBe("AWS::CloudFront::ResponseHeadersPolicy");
  return cloudFrontHeaders(
    resource.Properties!.ResponseHeadersPolicyConfig as ResponseHeadersPolicyConfig,
  );
}

async function edgeHeaders(scheme: "http" | "https", pathname: string): Promise<Headers> {
  const res = await fetch(`${edges[scheme]}${pathname}`, { redirect: "manual" });
  await res.arrayBuffer();
  expect(res.status, pathname).toBeLessThan(500);
  return res.headers;
}

/** The edge's answer against CloudFront's policy: same values, removed ones absent, no extra. */
function expectSameHeaders(actual: Headers, expected: CloudFrontHeaders): void {
  const governed = Object.fromEntries(
    [...actual.entries()].filter(([name]) => !ORIGIN_HEADERS.has(name)),
  );
  for (const name of Object.keys(expected.set)) {
    if (ORIGIN_HEADERS.has(name)) governed[name] = actual.get(name) ?? "(absent)";
  }
  expect(governed).toEqual(expected.set);
  for (const name of expected.remove) expect(actual.has(name), `${name} removed`).toBe(false);
}

describe("the preview edge sends CloudFront's response headers", () => {
  it("the samples cover every behavior of the distribution", () => {
    const dc = distributionConfig(s);
    const covered = new Set(SAMPLES.map((x) => behaviorFor(x.path).PathPattern ?? "default"));
    expect([...covered].sort()).toEqual(
      [...dc.CacheBehaviors.map((b) => b.PathPattern!), "default"].sort(),
    );
  });

  it.each(SAMPLES)("$what ($path): identical with an https public origin", async ({ path: p }) => {
    expectSameHeaders(await edgeHeaders("https", p), policyOf(behaviorFor(p)));
  });

  it.each(SAMPLES)(
    "$what ($path): identical but for HSTS and upgrade-insecure-requests over http",
    async ({ path: p }) => {
      const policy = policyOf(behaviorFor(p));
      // The rule is not vacuous: CloudFront sends both, the http edge neither.
      expect(policy.set["strict-transport-security"]).toMatch(/^max-age=\d+/);
      expect(policy.set["content-security-policy"]).toContain("upgrade-insecure-requests");
      const actual = await edgeHeaders("http", p);
      expect(actual.has("strict-transport-security")).toBe(false);
      expect(actual.get("content-security-policy")).not.toContain("upgrade-insecure-requests");
      expectSameHeaders(actual, { ...policy, set: overPlainHttp(policy.set) });
    },
  );

  it("a site file's Cache-Control is what the deployment stores on it; a 404 gets none", async () => {
    const stored = (include: boolean) => {
      const upload = Object.values(s.json.Resources).find(
        (r) =>
          r.Type === "Custom::CDKBucketDeployment" &&
          (r.Properties!.Include !== undefined) === include,
      )!;
      return (upload.Properties!.SystemMetadata as Record<string, string>)["cache-control"];
    };
    for (const [p, include] of [
      ["/_next/static/chunks/app.js", true],
      ["/", false],
      ["/admin", false],
    ] as const) {
      expect((await edgeHeaders("https", p)).get("cache-control"), p).toBe(stored(include));
    }
    // A chunk that is not there (a deploy in progress, an old tab) must not stick for a year.
    for (const p of ["/_next/static/chunks/gone.js", "/no-such-page"]) {
      expect((await edgeHeaders("https", p)).get("cache-control"), p).toBe("no-store");
    }
  });

  it("the policy's headers win over the API's own, and Server is removed", async () => {
    const actual = await edgeHeaders("https", "/api/me");
    const policy = policyOf(behaviorFor("/api/me"));
    expect(policy.remove).toContain("server");
    expect(actual.has("server")).toBe(false);
    for (const name of ["x-frame-options", "content-security-policy", "referrer-policy"]) {
      expect(actual.get(name)).toBe(policy.set[name]);
      expect(actual.get(name)).not.toBe(
        API_ANSWER_HEADERS[name as keyof typeof API_ANSWER_HEADERS],
      );
    }
    // Headers no policy governs pass through from the origin untouched.
    expect(actual.get("cache-control")).toBe("no-store");
  });
});
