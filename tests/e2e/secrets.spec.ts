import { createPrivateKey, createPublicKey, randomUUID, type JsonWebKey } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { apiRoutesInSource, walk } from "../support/files";
import { accounts, authFile, dataDir, expect, fixtureVideo, localOnly, test } from "./support";

// No page, API answer or log line carries the CloudFront private key, the auth secret,
// a password hash or a known password; no log line a cookie or a signature, and every
// line of every file in DATA_DIR/logs is one JSON object. This spec is the `setup` project's teardown
// (playwright.config.ts): it runs after the whole suite, so the log it reads holds
// everything the suite made the preview write, plus what its own crawl of every API
// route (signed out, as the member and as the admin) adds.

interface Needle {
  /** What it is, for the failure message (never the secret itself). */
  what: string;
  text: string;
}

/**
 * The private key's PEM body lines (base64 DER), in base64url too, and its JWK private
 * parts: RSA's d, p, q, dp, dq, qi, or the ECDSA scalar d (also in hex).
 */
function privateKeyNeedles(pem: string): Needle[] {
  const key = createPrivateKey(pem);
  const ec = key.asymmetricKeyType === "ec";
  // The modulus or the public point is in both keys; a line the public key also holds proves nothing.
  const publicKey = createPublicKey(key).export({ type: "spki", format: "der" }).toString("base64");
  const lines = pem
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && !l.startsWith("-----"))
    .filter((l) => !publicKey.includes(l));
  // A PKCS#8 RSA-2048 key is 26 lines of base64, an ECDSA P-256 one 3.
  expect(lines.length).toBeGreaterThan(ec ? 2 : 20);
  const jwk: JsonWebKey = key.export({ format: "jwk" });
  const parts = ec ? (["d"] as const) : (["d", "p", "q", "dp", "dq", "qi"] as const);
  for (const k of parts) expect(jwk[k], `JWK ${k}`).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  return [
    ...(ec
      ? [
          {
            what: "the ECDSA private scalar (hex)",
            text: Buffer.from(String(jwk.d), "base64url").toString("hex"),
          },
        ]
      : []),
    { what: "a PEM header of a private key", text: "PRIVATE KEY-----" },
    ...lines.flatMap((line, i) => [
      { what: `private key PEM line ${i + 1}`, text: line },
      {
        what: `private key PEM line ${i + 1} (base64url)`,
        text: line.replace(/\+/g, "-").replace(/\//g, "_"),
      },
    ]),
    ...parts.map((k) => ({
      what: `private key JWK "${k}"`,
      text: String(jwk[k]),
    })),
  ];
}

const ARGON2_HASH =
  /\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{16,})/g;

/**
 * Postgres's WAL page size. Each page starts with a header: 24 bytes, or 40 for the long
 * header (XLP_LONG_HEADER) that opens a segment (both MAXALIGNed).
 */
const WAL_PAGE = 8192;
const XLP_LONG_HEADER = 0x0002;

/**
 * A WAL segment's bytes with every page header taken out. A record that crosses a page
 * boundary continues right after the next page's header, so a hash written across one
 * only reads whole once the headers are gone.
 */
function walWithoutPageHeaders(bytes: Buffer): Buffer {
  const pages: Buffer[] = [];
  for (let at = 0; at + 4 <= bytes.length; at += WAL_PAGE) {
    const header = (bytes.readUInt16LE(at + 2) & XLP_LONG_HEADER) !== 0 ? 40 : 24;
    pages.push(bytes.subarray(at + header, at + WAL_PAGE));
  }
  return Buffer.concat(pages);
}

/**
 * Every password hash the database holds or held, read from PGlite's files as bytes
 * (the running API server owns the database; the WAL and the heap files carry every
 * row in the clear), and each one's salt and digest on their own.
 */
function passwordHashNeedles(): { needles: Needle[]; count: number } {
  const dbDir = path.join(dataDir, "db");
  expect(existsSync(dbDir), "the preview's PGlite database in DATA_DIR/db").toBe(true);
  const hashes = new Map<string, [salt: string, digest: string]>();
  for (const file of walk(dbDir)) {
    const bytes = readFileSync(file);
    const views: Buffer[] = [bytes];
    if (path.basename(path.dirname(file)) === "pg_wal") views.push(walWithoutPageHeaders(bytes));
    for (const view of views) {
      for (const m of view.toString("latin1").matchAll(ARGON2_HASH))
        hashes.set(m[0], [m[1]!, m[2]!]);
    }
  }
  const needles = [...hashes].flatMap(([hash, [salt, digest]], i) => [
    { what: `password hash ${i + 1}`, text: hash },
    { what: `password hash ${i + 1}'s salt`, text: salt },
    { what: `password hash ${i + 1}'s digest`, text: digest },
  ]);
  // Any hash at all, this database's or not, by its PHC prefix.
  needles.push({ what: "an argon2 hash", text: "$argon2" });
  return { needles, count: hashes.size };
}

/** The needles found in `text`, also once whitespace and JSON escapes are squeezed out. */
function leaks(text: string, needles: Needle[]): string[] {
  const squeezed = text.replace(/\\[nr]/g, "").replace(/[\s\\]/g, "");
  return needles
    .filter((n) => text.includes(n.text) || squeezed.includes(n.text))
    .map((n) => n.what);
}

type Who = "signed out" | "member" | "admin";

interface Call {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  data?: unknown;
  contentType?: string;
}

/** Waits until the preview's log has stopped growing (it is written asynchronously). */
async function settledLog(file: string): Promise<string> {
  let size = -1;
  while (size !== statSync(file).size) {
    size = statSync(file).size;
    await new Promise((r) => setTimeout(r, 500));
  }
  return readFileSync(file, "utf8");
}

test("no secret in out/, in any API answer or in the log", async ({
  request,
  memberPage,
  adminPage,
  playwright,
  baseURL,
}) => {
  localOnly("reads the preview's DATA_DIR and out/");
  test.setTimeout(180_000);
  const sessions: Record<Who, APIRequestContext> = {
    "signed out": request,
    member: memberPage.request,
    admin: adminPage.request,
  };
  const answers: { where: string; text: string }[] = [];
  const send = async (
    who: Who | APIRequestContext,
    call: Call & { form?: Record<string, string> },
  ) => {
    const ctx = typeof who === "string" ? sessions[who] : who;
    const res = await ctx.fetch(call.path, {
      method: call.method,
      data: call.data,
      form: call.form,
      headers: call.contentType ? { "content-type": call.contentType } : undefined,
      maxRedirects: 0,
    });
    const text = await res.text();
    const label = typeof who === "string" ? who : "newcomer";
    answers.push({
      where: `${call.method} ${call.path} (${label}) -> ${res.status()}`,
      text: `${JSON.stringify(res.headers())}\n${text}`,
    });
    return { status: res.status(), text };
  };

  // Accounts whose passwords the test knows: the suite's two, and two made here (one
  // with a password of ours, one with a generated one the API shows once, by design).
  const newcomer = {
    email: `secrets-${Date.now()}@e2e.test`,
    password: `pw-${Date.now()}-secret`,
    newPassword: `pw-${Date.now()}-changed`,
  };
  const made = await send("admin", {
    method: "POST",
    path: "/api/admin/users",
    data: { ...newcomer, role: "member" },
  });
  expect(made.status, made.text).toBe(201);
  const userId = (JSON.parse(made.text) as { user: { id: string } }).user.id;
  const generated = await send("admin", {
    method: "POST",
    path: "/api/admin/users",
    data: { email: `secrets-gen-${Date.now()}@e2e.test`, role: "member" },
  });
  expect(generated.status).toBe(201);
  const upload = await send("admin", {
    method: "POST",
    path: "/api/admin/uploads",
    data: { fileName: "secrets.mp4", contentType: "video/mp4", sizeBytes: 10, title: "secrets" },
  });
  expect(upload.status, upload.text).toBe(201);
  const uploadId = (JSON.parse(upload.text) as { id: string }).id;
  const videoId = fixtureVideo().videoId;
  const group = await send("admin", {
    method: "POST",
    path: "/api/admin/groups",
    data: { name: `Secrets ${Date.now()}` },
  });
  expect(group.status, group.text).toBe(201);
  const groupId = (JSON.parse(group.text) as { id: string }).id;

  // Every handler in app/api, with real ids so the answers carry real data; requests
  // that would destroy the suite's data get an id that does not exist.
  const missingVideo = "abcdefgh1234";
  const plan: Record<string, Call[]> = {
    "GET /api/health": [{ method: "GET", path: "/api/health" }],
    "GET /api/me": [{ method: "GET", path: "/api/me" }],
    "GET /api/videos": [
      { method: "GET", path: "/api/videos" },
      { method: "GET", path: "/api/videos?q=e2e" },
    ],
    "GET /api/videos/[id]": [{ method: "GET", path: `/api/videos/${videoId}` }],
    "PUT /api/videos/[id]/progress": [
      { method: "PUT", path: `/api/videos/${videoId}/progress`, data: { positionSeconds: 1 } },
    ],
    "POST /api/signed-cookies": [
      { method: "POST", path: "/api/signed-cookies" },
      { method: "POST", path: "/api/signed-cookies", data: { videoId } },
    ],
    "DELETE /api/signed-cookies": [
      { method: "DELETE", path: "/api/signed-cookies" },
      {
        method: "DELETE",
        path: "/api/signed-cookies",
        data: { paths: [`/media/videos/${videoId}/`] },
      },
    ],
    "GET /api/streams": [{ method: "GET", path: "/api/streams" }],
    "DELETE /api/streams/[id]": [{ method: "DELETE", path: `/api/streams/${"s".repeat(22)}` }],
    "GET /api/admin/groups": [{ method: "GET", path: "/api/admin/groups" }],
    "POST /api/admin/groups": [{ method: "POST", path: "/api/admin/groups", data: { name: "" } }],
    "PATCH /api/admin/groups/[id]": [
      { method: "PATCH", path: `/api/admin/groups/${groupId}`, data: { description: "Secrets" } },
    ],
    "DELETE /api/admin/groups/[id]": [
      { method: "DELETE", path: `/api/admin/groups/${missingVideo}` },
    ],
    "GET /api/admin/access-log": [
      { method: "GET", path: `/api/admin/access-log?videoId=${videoId}` },
      { method: "GET", path: "/api/admin/access-log" },
    ],
    "POST /api/signed-urls": [
      {
        method: "POST",
        path: "/api/signed-urls",
        data: { path: `/media/videos/${videoId}/poster.jpg` },
      },
    ],
    "GET /api/auth/[...nextauth]": ["session", "providers", "csrf"].map((p) => ({
      method: "GET" as const,
      path: `/api/auth/${p}`,
    })),
    // POST /api/auth/* (sign-in, sign-out) is the newcomer's, below.
    "POST /api/auth/[...nextauth]": [],
    "GET /api/admin/users": [{ method: "GET", path: "/api/admin/users" }],
    "POST /api/admin/users": [
      { method: "POST", path: "/api/admin/users", data: { email: "not-an-email" } },
    ],
    "PATCH /api/admin/users/[id]": [
      { method: "PATCH", path: `/api/admin/users/${userId}`, data: { name: "Renamed" } },
    ],
    "GET /api/admin/videos": [{ method: "GET", path: "/api/admin/videos" }],
    "GET /api/admin/videos/[id]": [{ method: "GET", path: `/api/admin/videos/${videoId}` }],
    "PATCH /api/admin/videos/[id]": [
      { method: "PATCH", path: `/api/admin/videos/${videoId}`, data: { nothing: true } },
    ],
    "DELETE /api/admin/videos/[id]": [
      { method: "DELETE", path: `/api/admin/videos/${missingVideo}` },
    ],
    "POST /api/admin/videos/[id]/retry": [
      { method: "POST", path: `/api/admin/videos/${videoId}/retry` },
    ],
    "PUT /api/admin/videos/[id]/captions/[lang]": [
      {
        method: "PUT",
        path: `/api/admin/videos/${missingVideo}/captions/en`,
        data: "WEBVTT\n",
        contentType: "text/vtt",
      },
    ],
    "POST /api/admin/uploads": [
      { method: "POST", path: "/api/admin/uploads", data: { fileName: "x.exe" } },
    ],
    "GET /api/admin/uploads/[id]": [{ method: "GET", path: `/api/admin/uploads/${uploadId}` }],
    "POST /api/admin/uploads/[id]/parts": [
      { method: "POST", path: `/api/admin/uploads/${uploadId}/parts`, data: { partNumbers: [1] } },
    ],
    "PUT /api/admin/uploads/[id]/parts/[part]": [
      {
        method: "PUT",
        path: `/api/admin/uploads/${uploadId}/parts/1`,
        data: "0123456789",
        contentType: "application/octet-stream",
      },
    ],
    "POST /api/admin/uploads/[id]/complete": [
      { method: "POST", path: `/api/admin/uploads/${uploadId}/complete`, data: { parts: [] } },
    ],
    "DELETE /api/admin/uploads/[id]": [
      { method: "DELETE", path: `/api/admin/uploads/${uploadId}` },
    ],
    "POST /api/beacons": [
      {
        method: "POST",
        path: "/api/beacons",
        data: {
          viewId: randomUUID(),
          videoId,
          seq: 1,
          startupMs: 250,
          watchSeconds: 1,
          furthestSeconds: 1,
          rebufferCount: 0,
          rebufferSeconds: 0,
          errorCount: 0,
          renditions: { "360p": 1 },
          coverage: "1" + "0".repeat(99),
        },
      },
    ],
    "GET /api/admin/metrics": [{ method: "GET", path: "/api/admin/metrics" }],
    "GET /api/admin/analytics": [{ method: "GET", path: "/api/admin/analytics?days=7" }],
    "GET /api/admin/analytics/videos/[id]": [
      { method: "GET", path: `/api/admin/analytics/videos/${videoId}` },
    ],
    "GET /api/admin/sign-in-alerts": [{ method: "GET", path: "/api/admin/sign-in-alerts" }],
    // A link for the newcomer: shown to the admin once, by design; never redeemed here.
    "POST /api/admin/users/[id]/reset-link": [
      { method: "POST", path: `/api/admin/users/${userId}/reset-link` },
    ],
    "POST /api/password-reset": [
      {
        method: "POST",
        path: "/api/password-reset",
        data: { token: "A".repeat(43), password: "not-a-real-reset-1" },
      },
    ],
    "GET /api/account/sessions": [{ method: "GET", path: "/api/account/sessions" }],
    "DELETE /api/account/sessions/[id]": [
      { method: "DELETE", path: "/api/account/sessions/00000000-0000-4000-8000-000000000000" },
    ],
    // These would change the suite's accounts: refused by validation here, and done
    // for real by the newcomer below.
    "POST /api/account/password": [
      {
        method: "POST",
        path: "/api/account/password",
        data: { currentPassword: "", newPassword: "" },
      },
    ],
    "DELETE /api/account/sessions": [],
    ...Object.fromEntries(
      (["GET", "POST", "PUT", "PATCH", "DELETE"] as const).map((method) => [
        `${method} /api/[[...path]]`,
        [{ method, path: "/api/no-such-route" }],
      ]),
    ),
  };
  const handlers = apiRoutesInSource(path.resolve(".")).flatMap((r) =>
    r.methods.map((m) => `${m} ${r.route}`),
  );
  expect(Object.keys(plan).sort(), "a plan entry for every API handler").toEqual(handlers.sort());
  for (const calls of Object.values(plan)) {
    for (const call of calls) {
      for (const who of ["signed out", "member", "admin"] as const) await send(who, call);
    }
  }

  // POST /api/auth/*: the newcomer fails once, signs in, and signs out.
  const visitor = await playwright.request.newContext({ baseURL });
  const authForm = async (action: string, form: Record<string, string>) => {
    const csrf = await send(visitor, { method: "GET", path: "/api/auth/csrf" });
    const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
    return send(visitor, {
      method: "POST",
      path: `/api/auth/${action}`,
      form: { ...form, csrfToken, callbackUrl: "/videos" },
      contentType: "application/x-www-form-urlencoded",
    });
  };
  await authForm("callback/credentials", { email: newcomer.email, password: "wrong-password-1" });
  const signedIn = await authForm("callback/credentials", {
    email: newcomer.email,
    password: newcomer.password,
  });
  expect([200, 302]).toContain(signedIn.status);
  expect((await send(visitor, { method: "GET", path: "/api/me" })).status).toBe(200);
  // The newcomer changes their password, then signs out everywhere and in again.
  const changed = await send(visitor, {
    method: "POST",
    path: "/api/account/password",
    data: { currentPassword: newcomer.password, newPassword: newcomer.newPassword },
  });
  expect(changed.status, changed.text).toBe(200);
  const everywhere = await send(visitor, { method: "DELETE", path: "/api/account/sessions" });
  expect(everywhere.status).toBe(204);
  expect((await send(visitor, { method: "GET", path: "/api/me" })).status).toBe(401);
  await authForm("callback/credentials", { email: newcomer.email, password: newcomer.newPassword });
  await authForm("signout", {});
  await visitor.dispose();

  const key = privateKeyNeedles(readFileSync(path.join(dataDir, "keys", "private.pem"), "utf8"));
  const hashes = passwordHashNeedles();
  const users = await send("admin", { method: "GET", path: "/api/admin/users" });
  const userCount = (JSON.parse(users.text) as { users: unknown[] }).users.length;
  expect(hashes.count, "a hash for every account, read from the database").toBeGreaterThanOrEqual(
    userCount,
  );
  const needles: Needle[] = [
    ...key,
    {
      what: "AUTH_SECRET",
      text: readFileSync(path.join(dataDir, "auth-secret"), "utf8").trim(),
    },
    ...hashes.needles,
    { what: "the admin's password", text: accounts.admin.password },
    { what: "the member's password", text: accounts.member.password },
    { what: "the newcomer's password", text: newcomer.password },
    { what: "the newcomer's new password", text: newcomer.newPassword },
  ];

  const offenders: string[] = [];
  const outDir = path.resolve("out");
  expect(existsSync(path.join(outDir, "index.html"))).toBe(true);
  for (const file of walk(outDir)) {
    for (const what of leaks(readFileSync(file, "latin1"), needles))
      offenders.push(`${path.relative(".", file)}: ${what}`);
  }
  for (const answer of answers) {
    for (const what of leaks(answer.text, needles)) offenders.push(`${answer.where}: ${what}`);
  }
  // The logs also never hold a cookie or a signature: the sessions' tokens, and every
  // CloudFront signature and policy the API set in this crawl.
  const cookieNeedles = new Map<string, string>();
  for (const who of ["admin", "member"] as const) {
    const state = JSON.parse(readFileSync(authFile(who), "utf8")) as {
      cookies: { name: string; value: string }[];
    };
    for (const c of state.cookies)
      if (c.value.length >= 16) cookieNeedles.set(c.value, `the ${who}'s ${c.name} cookie`);
  }
  for (const answer of answers) {
    for (const m of answer.text.matchAll(/CloudFront-(Signature|Policy)=([A-Za-z0-9_~-]{16,})/g))
      cookieNeedles.set(m[2]!, `a CloudFront-${m[1]} cookie the API set`);
  }
  expect(cookieNeedles.size).toBeGreaterThan(2);
  const logNeedles = [...needles, ...[...cookieNeedles].map(([text, what]) => ({ what, text }))];
  // Every file in DATA_DIR/logs, each line one JSON object.
  const logsDir = path.join(dataDir, "logs");
  const files = readdirSync(logsDir);
  expect(files).toContain("reelgate.log");
  for (const name of files) {
    const log = await settledLog(path.join(logsDir, name));
    if (name === "reelgate.log") expect(log).toContain("Reelgate is running");
    const notJson = log
      .split("\n")
      .filter(Boolean)
      .filter((line) => {
        try {
          const value: unknown = JSON.parse(line);
          return typeof value !== "object" || value === null || Array.isArray(value);
        } catch {
          return true;
        }
      });
    expect(notJson.slice(0, 5), `logs/${name}: lines that are not a JSON object`).toEqual([]);
    for (const what of leaks(log, logNeedles)) offenders.push(`logs/${name}: ${what}`);
  }
  expect(offenders).toEqual([]);
});
