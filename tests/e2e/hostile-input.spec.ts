import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { authFile, dataDir, expect, expectApiError, fixtureVideo, remote, test } from "./support";

// Hostile input against every route of the API: wrong methods, malformed and mistyped
// JSON, huge and chunked bodies, wrong content types, and ids in the path that are too
// long, SQL, traversals (plain and encoded), unicode or NUL. Every answer must be a 4xx
// with the API's error format and its specific status, and leave nothing behind.

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Who = "admin" | "member" | "anyone";
type Field = "string" | "nullable string" | "int" | "number" | "boolean" | "array";

interface JsonBody {
  kind: "json";
  /** Passes validation; `status` is what the API answers it with. */
  valid: Record<string, unknown>;
  status: number;
  /** Every top-level field of the schema. */
  fields: Record<string, Field>;
  /** The body cap of the route (readJson's maxBytes). */
  limit: number;
  /** Unknown keys: refused (422) or ignored (the valid body's status). */
  strict: boolean;
  /** What `{}` gets: 422 where a field is required (the default), else the route's answer. */
  empty?: number;
  /** Refusals specific to the schema. */
  more?: [string, unknown, number][];
  /** What JSON of the wrong shape gets: 422 (the default), or 400 (beacons, by contract). */
  invalid?: number;
}

interface RawBody {
  kind: "vtt" | "bytes";
  valid: string;
  contentType: string;
  limit: number;
  more: [string, string, number][];
}

interface Endpoint {
  as: Who;
  /** With {param} placeholders, filled with the targets made in beforeAll. */
  path: string;
  body?: JsonBody | RawBody;
}

interface Route {
  methods: Partial<Record<Method, Endpoint>>;
  /** The optional catch-all: every method is a JSON 404. */
  catchAll?: boolean;
  /** Why a method takes no hostile bodies here. */
  note?: string;
}

const KiB = 1024;
const run = `h${Date.now().toString(36)}`;
const marker = `hostile ${run}`;

// One entry per app/api/**/route.ts (the first test fails when a route file is missing).
const ROUTES: Record<string, Route> = {
  "[[...path]]": { catchAll: true, methods: {} },
  "auth/[...nextauth]": {
    note: "NextAuth's own form protocol: only the methods it lacks are checked",
    methods: {
      GET: { as: "anyone", path: "/api/auth/session" },
      POST: { as: "anyone", path: "/api/auth/signout" },
    },
  },
  health: { methods: { GET: { as: "anyone", path: "/api/health" } } },
  me: { methods: { GET: { as: "member", path: "/api/me" } } },
  "signed-cookies": {
    methods: {
      POST: {
        as: "member",
        path: "/api/signed-cookies",
        body: {
          kind: "json",
          // A well-formed id of no video: passes validation, and no credential for it.
          valid: { videoId: "unknown00000" },
          status: 404,
          fields: { videoId: "string" },
          limit: 64 * KiB,
          strict: true,
          // No video: the catalog's cookies.
          empty: 200,
          more: [["an id that is no video id", { videoId: "../x" }, 422]],
        },
      },
      DELETE: {
        as: "anyone",
        path: "/api/signed-cookies",
        body: {
          kind: "json",
          valid: { paths: ["/media/videos/unknown00000/"] },
          status: 204,
          fields: { paths: "array" },
          limit: 64 * KiB,
          strict: true,
          empty: 204,
          more: [
            ["a path that is not a string", { paths: [42] }, 422],
            ["a path over 200 characters", { paths: ["x".repeat(201)] }, 422],
            ["101 paths", { paths: Array.from({ length: 101 }, () => "/media/") }, 422],
          ],
        },
      },
    },
  },
  streams: { methods: { GET: { as: "member", path: "/api/streams" } } },
  "streams/[id]": { methods: { DELETE: { as: "member", path: "/api/streams/{stream}" } } },
  "signed-urls": {
    methods: {
      POST: {
        as: "member",
        path: "/api/signed-urls",
        body: {
          kind: "json",
          // A well-formed path in no video the member may watch: refused as not theirs.
          valid: { path: "/media/videos/abcdefgh1234/poster.jpg", expiresIn: 60 },
          status: 404,
          fields: { path: "string", expiresIn: "int" },
          limit: 64 * KiB,
          strict: false,
          more: [
            ["a traversal", { path: "/media/../uploads/x/original.mp4" }, 400],
            ["an encoded traversal", { path: "/media/%2e%2e/uploads/x" }, 400],
            ["a wildcard", { path: "/media/*" }, 400],
            ["a NUL in the path", { path: "/media/a%00b" }, 400],
            ["a lifetime of 0", { path: "/media/x", expiresIn: 0 }, 422],
            ["a lifetime of 1e20", { path: "/media/x", expiresIn: 1e20 }, 422],
            ["an object outside any video", { path: "/media/other/x.jpg" }, 404],
            ["a video's folder itself", { path: "/media/videos/abcdefgh1234" }, 404],
            ["another group's catalog image", { path: "/media/posters/abcdefgh1234/x.jpg" }, 404],
          ],
        },
      },
    },
  },
  videos: { methods: { GET: { as: "member", path: "/api/videos" } } },
  "videos/[id]": { methods: { GET: { as: "member", path: "/api/videos/{fixture}" } } },
  "videos/[id]/progress": {
    methods: {
      PUT: {
        as: "member",
        // The target is not published: a body that passes validation gets a 404.
        path: "/api/videos/{video}/progress",
        body: {
          kind: "json",
          valid: { positionSeconds: 1 },
          status: 404,
          fields: { positionSeconds: "number" },
          limit: 1 * KiB,
          strict: false,
          more: [
            ["a negative position", { positionSeconds: -1 }, 422],
            ["a position over a week", { positionSeconds: 7 * 24 * 3600 + 1 }, 422],
          ],
        },
      },
    },
  },
  beacons: {
    methods: {
      POST: {
        as: "member",
        // A video that does not exist: a beacon that passes validation gets a 404 and
        // stores nothing. More beacon cases: beacons-hostile.spec.ts.
        path: "/api/beacons",
        body: {
          kind: "json",
          valid: {
            viewId: "6a0e7c1e-2b1f-4c55-9d8e-0f6b1d2c3a4b",
            videoId: "unknown00000",
            seq: 1,
            watchSeconds: 1,
            furthestSeconds: 1,
            rebufferCount: 0,
            rebufferSeconds: 0,
            errorCount: 0,
            renditions: {},
            coverage: "0".repeat(100),
          },
          status: 404,
          // `renditions` (an object) is checked in beacons-hostile.spec.ts.
          fields: {
            viewId: "string",
            videoId: "string",
            seq: "int",
            startupMs: "int",
            watchSeconds: "number",
            furthestSeconds: "number",
            rebufferCount: "int",
            rebufferSeconds: "number",
            errorCount: "int",
            lastError: "string",
            coverage: "string",
          },
          limit: 16 * KiB,
          strict: true,
          invalid: 400,
        },
      },
    },
  },
  "admin/metrics": { methods: { GET: { as: "admin", path: "/api/admin/metrics" } } },
  "admin/analytics": { methods: { GET: { as: "admin", path: "/api/admin/analytics" } } },
  "admin/analytics/videos/[id]": {
    methods: { GET: { as: "admin", path: "/api/admin/analytics/videos/{video}" } },
  },
  "admin/users": {
    methods: {
      GET: { as: "admin", path: "/api/admin/users" },
      POST: {
        as: "admin",
        path: "/api/admin/users",
        body: {
          kind: "json",
          // The target's own email: passes validation and is refused as a duplicate.
          valid: {
            email: `${run}@e2e.test`,
            role: "member",
            name: marker,
            password: "x".repeat(12),
          },
          status: 409,
          fields: { email: "string", name: "string", role: "string", password: "string" },
          limit: 64 * KiB,
          strict: false,
          more: [
            ["SQL as the email", { email: "' OR 1=1 --@e2e.test" }, 422],
            ["an unknown role", { email: `x${run}@e2e.test`, role: "root" }, 422],
            ["a short password", { email: `x${run}@e2e.test`, password: "short" }, 422],
          ],
        },
      },
    },
  },
  "admin/users/[id]": {
    methods: {
      PATCH: {
        as: "admin",
        path: "/api/admin/users/{user}",
        body: {
          kind: "json",
          valid: { name: `${marker} target` },
          status: 200,
          fields: {
            role: "string",
            disabled: "boolean",
            name: "nullable string",
            groupIds: "array",
          },
          limit: 64 * KiB,
          strict: true,
          more: [
            ["an unknown group", { groupIds: ["unknown00000"] }, 422],
            ["a group twice", { groupIds: ["abcdefgh1234", "abcdefgh1234"] }, 422],
            ["a group id that is SQL", { groupIds: ["' OR 1=1 --"] }, 422],
          ],
        },
      },
    },
  },
  "admin/users/[id]/reset-link": {
    methods: { POST: { as: "admin", path: "/api/admin/users/{user}/reset-link" } },
  },
  "admin/sign-in-alerts": { methods: { GET: { as: "admin", path: "/api/admin/sign-in-alerts" } } },
  "account/sessions": {
    // DELETE would sign the suite's member out everywhere; it takes no body.
    methods: {
      GET: { as: "member", path: "/api/account/sessions" },
      DELETE: { as: "member", path: "/api/account/sessions" },
    },
  },
  "account/sessions/[id]": {
    methods: { DELETE: { as: "member", path: "/api/account/sessions/{session}" } },
  },
  "account/password": {
    methods: {
      POST: {
        as: "member",
        path: "/api/account/password",
        body: {
          kind: "json",
          // The same password twice is refused before the current one is checked, so
          // no request here counts as a wrong password or changes one.
          valid: { currentPassword: "same-password-1", newPassword: "same-password-1" },
          status: 422,
          fields: { currentPassword: "string", newPassword: "string" },
          limit: 16 * KiB,
          strict: false,
          more: [["a short new password", { newPassword: "short" }, 422]],
        },
      },
    },
  },
  "password-reset": {
    methods: {
      POST: {
        as: "anyone",
        path: "/api/password-reset",
        body: {
          kind: "json",
          // A well-formed token of no link.
          valid: { token: "A".repeat(43), password: "new-password-12" },
          status: 400,
          fields: { token: "string", password: "string" },
          limit: 16 * KiB,
          strict: false,
          more: [
            ["a token that is too short", { token: "abc" }, 422],
            ["a token with a dot", { token: `${"A".repeat(42)}.` }, 422],
            ["a short password", { password: "short" }, 422],
          ],
        },
      },
    },
  },
  "admin/videos": { methods: { GET: { as: "admin", path: "/api/admin/videos" } } },
  "admin/videos/[id]": {
    methods: {
      GET: { as: "admin", path: "/api/admin/videos/{video}" },
      PATCH: {
        as: "admin",
        path: "/api/admin/videos/{video}",
        body: {
          kind: "json",
          valid: { title: `${marker} target` },
          status: 200,
          fields: {
            title: "string",
            description: "string",
            published: "boolean",
            groupIds: "array",
          },
          limit: 64 * KiB,
          strict: true,
          more: [
            ["a blank title", { title: "   " }, 422],
            ["an unknown group", { groupIds: ["unknown00000"] }, 422],
            ["51 groups", { groupIds: Array.from({ length: 51 }, (_, i) => `group${i}xxxx`) }, 422],
            ["publishing a video that is not ready", { published: true }, 409],
          ],
        },
      },
      DELETE: { as: "admin", path: "/api/admin/videos/{video}" },
    },
  },
  "admin/videos/[id]/retry": {
    methods: { POST: { as: "admin", path: "/api/admin/videos/{video}/retry" } },
  },
  "admin/videos/[id]/captions/[lang]": {
    methods: {
      PUT: {
        as: "admin",
        path: "/api/admin/videos/{video}/captions/{lang}",
        body: {
          kind: "vtt",
          valid: "WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n",
          contentType: "text/vtt",
          limit: 2 * 1024 * KiB,
          more: [
            ["a file that is not WebVTT", "<script>alert(1)</script>", 422],
            ["an empty file", "", 422],
          ],
        },
      },
    },
  },
  "admin/groups": {
    methods: {
      GET: { as: "admin", path: "/api/admin/groups" },
      POST: {
        as: "admin",
        path: "/api/admin/groups",
        body: {
          kind: "json",
          // The target group's own name: passes validation and is refused as a duplicate.
          valid: { name: `${marker} group`, description: marker },
          status: 409,
          fields: { name: "string", description: "string" },
          limit: 64 * KiB,
          strict: true,
          more: [
            ["the same name in capitals", { name: `${marker} group`.toUpperCase() }, 409],
            ["a blank name", { name: "   " }, 422],
            ["a name over 80 characters", { name: "x".repeat(81) }, 422],
          ],
        },
      },
    },
  },
  "admin/groups/[id]": {
    methods: {
      PATCH: {
        as: "admin",
        path: "/api/admin/groups/{group}",
        body: {
          kind: "json",
          valid: { description: `${marker} described` },
          status: 200,
          fields: { name: "string", description: "string" },
          limit: 64 * KiB,
          strict: true,
          more: [["a blank name", { name: "" }, 422]],
        },
      },
      DELETE: { as: "admin", path: "/api/admin/groups/{group}" },
    },
  },
  "admin/access-log": { methods: { GET: { as: "admin", path: "/api/admin/access-log" } } },
  "admin/uploads": {
    methods: {
      POST: {
        as: "admin",
        path: "/api/admin/uploads",
        body: {
          kind: "json",
          // Over the size limit: passes validation, refused before anything is made.
          valid: {
            fileName: "hostile.mp4",
            contentType: "video/mp4",
            sizeBytes: 2 ** 50,
            title: marker,
            description: marker,
          },
          status: 413,
          fields: {
            fileName: "string",
            contentType: "string",
            sizeBytes: "int",
            title: "string",
            description: "string",
          },
          limit: 64 * KiB,
          strict: false,
          more: [
            ["an empty file", { sizeBytes: 0 }, 422],
            ["a negative size", { sizeBytes: -1 }, 422],
            ["an extension that is not a video", { fileName: "x.exe", sizeBytes: 10 }, 415],
            ["a type that does not fit", { contentType: "text/html", sizeBytes: 10 }, 415],
          ],
        },
      },
    },
  },
  "admin/uploads/[id]": {
    methods: {
      GET: { as: "admin", path: "/api/admin/uploads/{upload}" },
      DELETE: { as: "admin", path: "/api/admin/uploads/{upload}" },
    },
  },
  "admin/uploads/[id]/parts": {
    methods: {
      POST: {
        as: "admin",
        path: "/api/admin/uploads/{upload}/parts",
        body: {
          kind: "json",
          valid: { partNumbers: [1] },
          status: 200,
          fields: { partNumbers: "array" },
          limit: 64 * KiB,
          strict: false,
          more: [
            ["no parts", { partNumbers: [] }, 422],
            ["part 0", { partNumbers: [0] }, 422],
            ["a part number that is a string", { partNumbers: ["1"] }, 422],
            ["a part past the last", { partNumbers: [2] }, 422],
            ["101 parts", { partNumbers: Array.from({ length: 101 }, (_, i) => i + 1) }, 422],
          ],
        },
      },
    },
  },
  "admin/uploads/[id]/complete": {
    methods: {
      POST: {
        as: "admin",
        // A well-formed id of no upload: a body that passes validation gets a 404.
        path: "/api/admin/uploads/{unknownUpload}/complete",
        body: {
          kind: "json",
          valid: { parts: [{ partNumber: 1, etag: '"x"' }] },
          status: 404,
          fields: { parts: "array" },
          limit: 1024 * KiB,
          strict: false,
          more: [
            ["a part without an ETag", { parts: [{ partNumber: 1 }] }, 422],
            ["an empty ETag", { parts: [{ partNumber: 1, etag: "" }] }, 422],
            ["a part number that is a string", { parts: [{ partNumber: "1", etag: "x" }] }, 422],
            ["a NUL in an ETag", { parts: [{ partNumber: 1, etag: "a\u0000" }] }, 422],
          ],
        },
      },
    },
  },
  "admin/uploads/[id]/parts/[part]": {
    methods: {
      PUT: {
        as: "admin",
        path: "/api/admin/uploads/{upload}/parts/{part}",
        // The target upload is 10 bytes, in one part.
        body: {
          kind: "bytes",
          valid: "0123456789",
          contentType: "application/octet-stream",
          limit: 10,
          more: [
            ["a part that is too short", "x", 422],
            ["an empty part", "", 422],
          ],
        },
      },
    },
  },
};

// Path segments as they are sent (already encoded). A refused id is a 422 naming it,
// unless the router refuses the path first.
const HOSTILE_SEGMENTS: { name: string; raw: string; status?: number | "resolved" }[] = [
  { name: "too long", raw: "a".repeat(300) },
  { name: "SQL", raw: encodeURIComponent("' OR 1=1 --") },
  {
    name: "SQL with a quote and a semicolon",
    raw: encodeURIComponent("x'; DROP TABLE videos; --"),
  },
  { name: "a traversal", raw: encodeURIComponent("../../etc/passwd") },
  { name: "an encoded traversal", raw: "%2e%2e%2f%2e%2e%2fetc%2fpasswd" },
  { name: "unicode", raw: encodeURIComponent("vidéo✓🎬\u202e") },
  { name: "a NUL inside", raw: "abcdefgh%001234" },
  { name: "only a NUL", raw: "%00" },
  { name: "a malformed escape", raw: "%ZZ", status: 400 },
  { name: "overlong UTF-8", raw: "%C0%AE%C0%AE", status: 400 },
  // A dot-dot segment takes the request to another path: its route answers there.
  { name: "a dot-dot segment", raw: "%2e%2e", status: "resolved" },
];

const WRONG_VALUES: Record<Field, unknown[]> = {
  string: [42, null, { a: 1 }],
  "nullable string": [42, ["x"]],
  int: ["1", 1.5, null],
  number: ["1", null, true],
  boolean: ["true", 0, null],
  array: [{}, "1", null],
};

const CODES: Record<number, string> = {
  400: "bad_request",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable",
};

const METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

interface Targets {
  video: string;
  upload: string;
  user: string;
  fixture: string;
  unknownUpload: string;
  lang: string;
  part: string;
  group: string;
  stream: string;
  session: string;
}

let ctx: Record<Who, APIRequestContext>;
let baseURL: string;
let targets: Targets;
let sent = 0;

function fill(template: string, values: Partial<Targets> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, key: keyof Targets) => values[key] ?? targets[key]);
}

/** The Cookie header of a saved session, for requests Playwright cannot make (chunked, no type). */
function cookieHeader(who: Who): string {
  if (who === "anyone") return "";
  const state = JSON.parse(readFileSync(authFile(who), "utf8")) as {
    cookies: { name: string; value: string }[];
  };
  return state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

/** Sends bytes with Node's fetch: a stream goes chunked (no Content-Length); no type unless given. */
async function sendRaw(
  who: Who,
  method: Method,
  url: string,
  body: Uint8Array | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Promise<Pick<APIResponse, "status" | "headers" | "text" | "json">> {
  sent += 1;
  const res = await fetch(new URL(url, baseURL), {
    method,
    body,
    headers: { cookie: cookieHeader(who), ...headers },
    duplex: "half",
  } as RequestInit);
  const text = await res.text();
  return {
    status: () => res.status,
    headers: () => Object.fromEntries(res.headers),
    text: () => Promise.resolve(text),
    json: () => Promise.resolve(JSON.parse(text) as unknown),
  };
}

function chunked(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(16 * KiB).fill(0x61);
  let left = bytes;
  return new ReadableStream({
    pull(controller) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (n > 0) controller.enqueue(chunk.subarray(0, n));
      if (left === 0) controller.close();
    },
  });
}

async function send(
  who: Who,
  method: Method,
  url: string,
  body?: string | Buffer,
  contentType?: string,
): Promise<APIResponse> {
  sent += 1;
  return ctx[who].fetch(url, {
    method,
    // A Buffer goes as it is: Playwright would JSON-encode a string sent as application/json.
    data: typeof body === "string" ? Buffer.from(body) : body,
    headers: contentType ? { "content-type": contentType } : {},
    maxRedirects: 0,
  });
}

/** A refusal: the status, the code that goes with it, the error format, nothing leaked. */
async function expectRefused(
  res: Pick<APIResponse, "status" | "headers" | "text" | "json">,
  status: number,
  what: string,
): Promise<{ code: string; message: string }> {
  const text = await res.text();
  expect(res.status(), `${what}: ${text.slice(0, 300)}`).toBe(status);
  const error = await expectApiError(res, status);
  expect(error.code, what).toBe(CODES[status]);
  expect(res.headers()["cache-control"], what).toBe("no-store");
  expect(text, what).not.toMatch(
    /Failed query|\bselect\b.+\bfrom\b|node_modules|\.next-api|\bat async\b/i,
  );
  return error;
}

function jsonOf(value: unknown): string {
  return JSON.stringify(value);
}

/** A JSON object of exactly `bytes` bytes. */
function paddedJson(bytes: number): string {
  return `{"x":"${"a".repeat(bytes - 8)}"}`;
}

/** The status a path answers when a dot-dot segment moved it elsewhere. */
function resolvedStatus(method: Method, url: string): number {
  const pathname = new URL(url, "http://x").pathname.replace(/(.)\/$/, "$1");
  for (const [file, route] of Object.entries(ROUTES)) {
    if (route.catchAll) continue;
    const pattern = `^/api/${file.replace(/\[[^\]]+\]/g, "[^/]+")}$`;
    if (!new RegExp(pattern).test(pathname)) continue;
    // A GET may land on a real route: .../analytics/videos/%2e%2e is /api/admin/analytics.
    if (route.methods[method] && method === "GET" && !route.methods[method].body) return 200;
    if (route.methods[method]) throw new Error(`${method} ${url} would reach a real handler`);
    return 405;
  }
  return 404;
}

function allowHeader(route: Route): string {
  const methods: string[] = METHODS.filter((m) => route.methods[m]);
  if (route.methods.GET) methods.push("HEAD");
  return [...methods, "OPTIONS"].join(", ");
}

async function adminList<T>(url: string, key: string): Promise<T[]> {
  const res = await send("admin", "GET", url);
  expect(res.status()).toBe(200);
  return ((await res.json()) as Record<string, T[]>)[key]!;
}

test.beforeAll(async ({ playwright }) => {
  baseURL = test.info().project.use.baseURL!;
  ctx = {
    admin: await playwright.request.newContext({ baseURL, storageState: authFile("admin") }),
    member: await playwright.request.newContext({ baseURL, storageState: authFile("member") }),
    anyone: await playwright.request.newContext({ baseURL }),
  };
  // The targets: an open 10-byte upload (its video is not ready) and a member account.
  const upload = await ctx.admin.post("/api/admin/uploads", {
    data: { fileName: "t.mp4", contentType: "video/mp4", sizeBytes: 10, title: `${marker} target` },
  });
  expect(upload.status()).toBe(201);
  const { id, videoId } = (await upload.json()) as { id: string; videoId: string };
  const user = await ctx.admin.post("/api/admin/users", {
    data: { email: `${run}@e2e.test`, role: "member", name: `${marker} target` },
  });
  expect(user.status()).toBe(201);
  const userId = ((await user.json()) as { user: { id: string } }).user.id;
  const group = await ctx.admin.post("/api/admin/groups", { data: { name: `${marker} group` } });
  expect(group.status()).toBe(201);
  targets = {
    group: ((await group.json()) as { id: string }).id,
    // Well-formed, and no stream of anybody's.
    stream: "s".repeat(22),
    video: videoId,
    upload: id,
    user: userId,
    fixture: fixtureVideo().videoId,
    unknownUpload: "unknown000000000",
    lang: "en",
    part: "1",
    // Never a real session: DELETE on a real one would sign the member out.
    session: "00000000-0000-4000-8000-000000000000",
  };
});

test.afterAll(async () => {
  if (targets) {
    await send("admin", "DELETE", `/api/admin/uploads/${targets.upload}`);
    await send("admin", "DELETE", `/api/admin/groups/${targets.group}`);
    await send(
      "admin",
      "PATCH",
      `/api/admin/users/${targets.user}`,
      jsonOf({ disabled: true }),
      "application/json",
    );
  }
  console.log(`hostile input: ${sent} requests`);
  for (const c of Object.values(ctx ?? {})) await c.dispose();
});

test("the table covers every route file under app/api", () => {
  const appApi = path.join(import.meta.dirname, "../../app/api");
  const files = readdirSync(appApi, { recursive: true, encoding: "utf8" })
    .filter((f) => path.basename(f) === "route.ts")
    .map((f) => path.dirname(f).split(path.sep).join("/"))
    .sort();
  expect(Object.keys(ROUTES).sort()).toEqual(files);
});

async function checkMethods(route: Route): Promise<void> {
  const some = Object.values(route.methods)[0];
  const url = some ? fill(some.path) : "/api/no-such/route";
  const who = some?.as ?? "anyone";
  for (const method of METHODS.filter((m) => !route.methods[m])) {
    const res = await send(
      who,
      method,
      url,
      method === "GET" ? undefined : "{}",
      "application/json",
    );
    await expectRefused(res, route.catchAll ? 404 : 405, `${method} ${url}`);
    if (!route.catchAll) expect(res.headers().allow).toBe(allowHeader(route));
  }
  if (!route.catchAll) {
    sent += 1;
    const options = await ctx[who].fetch(url, { method: "OPTIONS" });
    expect(options.status()).toBe(204);
    expect(options.headers().allow).toBe(allowHeader(route));
  }
}

async function checkJsonBody(method: Method, ep: Endpoint, body: JsonBody): Promise<void> {
  const url = fill(ep.path);
  const post = (data: string, type = "application/json") => send(ep.as, method, url, data, type);
  const refused = async (what: string, data: string, status: number, type?: string) =>
    expectRefused(await post(data, type), status, `${method} ${url} with ${what}`);
  const withField = (name: string, value: unknown) => jsonOf({ ...body.valid, [name]: value });
  const invalid = body.invalid ?? 422;

  // The baseline: the valid body, which the content type may carry parameters with.
  const base = await post(jsonOf(body.valid), "application/json; charset=utf-8");
  expect(base.status(), `${method} ${url} valid: ${await base.text()}`).toBe(body.status);

  for (const bad of ["{bad", "", '{"a":1,}', "{'a':1}"])
    await refused(`the body ${jsonOf(bad)}`, bad, 400);
  for (const top of [[], "x", null, 1, true])
    await refused(`the body ${jsonOf(top)}`, jsonOf(top), invalid);
  const empty = await post("{}");
  expect(empty.status(), `${method} ${url} with {}: ${await empty.text()}`).toBe(
    body.empty ?? invalid,
  );
  if ((body.empty ?? invalid) === invalid) await refused("no fields", "{}", invalid);
  for (const [name, kind] of Object.entries(body.fields)) {
    for (const value of WRONG_VALUES[kind])
      await refused(`${name}: ${jsonOf(value)}`, withField(name, value), invalid);
    if (kind.endsWith("string")) {
      await refused(`a huge ${name}`, withField(name, "x".repeat(10_000)), invalid);
      const nul = await refused(`a NUL in ${name}`, withField(name, "a\u0000b"), invalid);
      expect(nul.message).toContain(name);
    }
  }
  for (const [what, fields, status] of body.more ?? [])
    await refused(what, jsonOf({ ...body.valid, ...(fields as object) }), status);
  const extra = jsonOf({ ...body.valid, isAdmin: true, status: "ready", id: "x" });
  if (body.strict) await refused("unknown fields", extra, invalid);
  else expect((await post(extra)).status(), `${url}: unknown fields are ignored`).toBe(body.status);

  for (const type of [
    "text/plain",
    "application/json-patch+json",
    "application/x-www-form-urlencoded",
  ])
    await refused(`the type ${type}`, jsonOf(body.valid), 415, type);
  const noType = await sendRaw(ep.as, method, url, new TextEncoder().encode(jsonOf(body.valid)));
  await expectRefused(noType, 415, `${url} without a content type`);
  await refused(`a body over ${body.limit} bytes`, paddedJson(body.limit + 1), 413);
  const stream = await sendRaw(ep.as, method, url, chunked(body.limit + 1), {
    "content-type": "application/json",
  });
  await expectRefused(stream, 413, `${url} with a chunked body over the limit`);
}

async function checkRawBody(method: Method, ep: Endpoint, body: RawBody): Promise<void> {
  const url = fill(ep.path);
  for (const [what, data, status] of body.more)
    await expectRefused(
      await send(ep.as, method, url, data, body.contentType),
      status,
      `${url} with ${what}`,
    );
  // Parts are bytes of any type; captions must be WebVTT (or plain text).
  if (body.kind === "vtt") {
    for (const type of ["application/json", "text/vtt-x", "text/html"])
      await expectRefused(
        await send(ep.as, method, url, body.valid, type),
        415,
        `${url} as ${type}`,
      );
  }
  const over = Buffer.alloc(body.limit + 1, 0x61);
  await expectRefused(
    await send(ep.as, method, url, over, body.contentType),
    413,
    `${url} over the limit`,
  );
  const stream = await sendRaw(ep.as, method, url, chunked(body.limit + 1), {
    "content-type": body.contentType,
  });
  await expectRefused(stream, 413, `${url} chunked over the limit`);
}

async function checkIds(method: Method, ep: Endpoint): Promise<void> {
  const params = [...ep.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as keyof Targets);
  const named = (param: string) => (param === "lang" || param === "part" ? param : "id");
  const body = ep.body?.kind === "json" ? jsonOf(ep.body.valid) : ep.body?.valid;
  const type = ep.body?.kind === "json" ? "application/json" : ep.body?.contentType;
  for (const param of params) {
    for (const segment of HOSTILE_SEGMENTS) {
      const url = fill(ep.path, { [param]: segment.raw });
      const status =
        segment.status === "resolved" ? resolvedStatus(method, url) : (segment.status ?? 422);
      if (status === 200) {
        // That route answers it, as itself.
        const res = await send(ep.as, method, url, body, type);
        expect(res.status(), `${method} ${url} (${segment.name})`).toBe(200);
        continue;
      }
      const error = await expectRefused(
        await send(ep.as, method, url, body, type),
        status,
        `${method} ${url} (${segment.name})`,
      );
      if (status === 422) expect(error.message, url).toMatch(new RegExp(`^${named(param)}: `));
    }
  }
  // Well-formed ids of nothing: 404.
  const unknown: Partial<Targets> = {
    video: "unknown00000",
    fixture: "unknown00000",
    upload: "unknown000000000",
    user: "00000000-0000-4000-8000-000000000000",
    group: "unknown00000",
    stream: "u".repeat(22),
    session: "00000000-0000-4000-8000-000000000001",
  };
  if (params.some((p) => p in unknown)) {
    const url = fill(ep.path, unknown);
    await expectRefused(await send(ep.as, method, url, body, type), 404, `${method} ${url}`);
  }
}

for (const [file, route] of Object.entries(ROUTES)) {
  test(`app/api/${file}: hostile methods, bodies and ids get 4xx in the error format`, async () => {
    await checkMethods(route);
    for (const [method, ep] of Object.entries(route.methods) as [Method, Endpoint][]) {
      if (route.note) continue;
      if (ep.body?.kind === "json") await checkJsonBody(method, ep, ep.body);
      else if (ep.body) await checkRawBody(method, ep, ep.body);
      if (ep.path.includes("{")) await checkIds(method, ep);
    }
  });
}

test("odd paths get the catch-all's JSON 404, malformed escapes a JSON 400", async () => {
  for (const url of [
    "/api/",
    "/api/no-such/route",
    "/api/admin/videos/%2e%2e",
    "/api/videos/%2e%2e/x",
  ])
    await expectRefused(await send("member", "GET", url), 404, url);
  for (const url of ["/api/%ZZ", "/api/videos/%E0%A4%A"])
    await expectRefused(await send("member", "GET", url), 400, url);
});

test("NextAuth's form POSTs are capped: a huge body is a 413 before NextAuth reads it", async () => {
  const form = "application/x-www-form-urlencoded";
  const cap = 16 * KiB; // AUTH_BODY_MAX_BYTES in lib/auth/auth-route.ts
  for (const url of ["/api/auth/callback/credentials", "/api/auth/signout"]) {
    const over = Buffer.alloc(cap + 1, 0x61);
    await expectRefused(await send("anyone", "POST", url, over, form), 413, `${url} over the cap`);
    const stream = await sendRaw("anyone", "POST", url, chunked(cap + 1), { "content-type": form });
    await expectRefused(stream, 413, `${url} chunked over the cap`);
  }
});

test("the access log's query refuses what it does not know, and repeated fields", async () => {
  for (const query of [
    "videoId=../x",
    "videoId=%27%20OR%201%3D1",
    "userId=not-a-uuid",
    "limit=0",
    "limit=201",
    "limit=abc",
    "before=yesterday",
    "isAdmin=1",
  ])
    await expectRefused(
      await send("admin", "GET", `/api/admin/access-log?${query}`),
      422,
      `access-log?${query}`,
    );
  const res = await send("admin", "GET", `/api/admin/access-log?videoId=${targets.video}`);
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ entries: [], nextBefore: null });
});

test("the catalog search takes SQL and wildcards as text and refuses NUL", async () => {
  for (const q of ["' OR 1=1 --", "' OR '1'='1", "%", "_", "\\", "x'); DROP TABLE videos; --"]) {
    const res = await send("member", "GET", `/api/videos?q=${encodeURIComponent(q)}`);
    expect(res.status(), q).toBe(200);
    expect(((await res.json()) as { videos: unknown[] }).videos, q).toEqual([]);
  }
  for (const q of ["a%00b", "x".repeat(201)])
    await expectRefused(await send("member", "GET", `/api/videos?q=${q}`), 422, q);
});

test("refused requests left nothing behind, and SQL in free text is stored as text", async () => {
  // No upload was created by a refused request: no video carries the run's marker
  // but the target, which is still an open upload with no part and no caption.
  const videos = await adminList<{
    id: string;
    title: string;
    description: string;
    captions: unknown[];
    published: boolean;
  }>("/api/admin/videos", "videos");
  const marked = videos.filter((v) => `${v.title} ${v.description}`.includes(run));
  expect(marked.map((v) => v.id)).toEqual([targets.video]);
  expect(marked[0]).toMatchObject({ title: `${marker} target`, captions: [], published: false });
  const state = await send("admin", "GET", `/api/admin/uploads/${targets.upload}`);
  expect(await state.json()).toMatchObject({ status: "open", uploadedParts: [] });
  // No user was created or changed.
  const users = await adminList<{
    id: string;
    email: string;
    name: string | null;
    role: string;
    disabled: boolean;
  }>("/api/admin/users", "users");
  const mine = users.filter((u) => `${u.email} ${u.name}`.includes(run));
  expect(mine).toEqual([
    expect.objectContaining({
      id: targets.user,
      name: `${marker} target`,
      role: "member",
      disabled: false,
    }),
  ]);

  // Nothing went wrong inside either: no 500 was logged, and no uncaught exception.
  if (!remote) {
    const log = readFileSync(path.join(dataDir, "logs", "reelgate.log"), "utf8");
    expect(log.split("\n").filter((l) => /unhandled error|uncaughtException/.test(l))).toEqual([]);
  }

  for (const text of [
    "' OR 1=1 --",
    "x'); DROP TABLE videos; --",
    "Robert'); DELETE FROM users;--",
    "vidéo ✓ 🎬 \u202e",
  ]) {
    const video = await send(
      "admin",
      "PATCH",
      `/api/admin/videos/${targets.video}`,
      jsonOf({ title: text }),
      "application/json",
    );
    expect(((await video.json()) as { title: string }).title).toBe(text);
    const user = await send(
      "admin",
      "PATCH",
      `/api/admin/users/${targets.user}`,
      jsonOf({ name: text }),
      "application/json",
    );
    expect(((await user.json()) as { user: { name: string } }).user.name).toBe(text);
  }
});

test("other spellings of a route's path get the same checks, a redirect to it, or a 404", async () => {
  // A check that compares paths must see the path the handler runs for. A trailing slash
  // reaches the same handler (Next's redirect is off: next.config.mjs), whose wrapper
  // runs every check; a doubled slash is redirected one slash at a time, and where that
  // ends a client meets the checks again. So no spelling gets past them (#18).
  const ODD_CODES: Record<number, string> = { ...CODES, 401: "unauthorized", 403: "forbidden" };
  for (const [file, route] of Object.entries(ROUTES)) {
    for (const [method, ep] of Object.entries(route.methods) as [Method, Endpoint][]) {
      const url = fill(ep.path);
      const body = method === "GET" ? undefined : "{}";
      const attempts: { who: Who; headers: Record<string, string>; status: number }[] = [];
      // Not allowed: signed out for a member route, a member for an admin one.
      if (ep.as === "admin") attempts.push({ who: "member", headers: {}, status: 403 });
      if (ep.as === "member") attempts.push({ who: "anyone", headers: {}, status: 401 });
      if (method !== "GET")
        attempts.push({ who: ep.as, headers: { "sec-fetch-site": "same-site" }, status: 403 });
      for (const odd of [`${url}/`, url.replace("/api/", "/api//"), `${url}//`]) {
        for (const attempt of attempts) {
          const what = `${method} ${odd} (${file}) as ${attempt.who} ${jsonOf(attempt.headers)}`;
          let at = odd;
          let res: APIResponse;
          // Each redirect removes one slash: follow them, as a client would, to the end.
          for (let hop = 0; ; hop += 1) {
            sent += 1;
            res = await ctx[attempt.who].fetch(at, {
              method,
              data: body === undefined ? undefined : Buffer.from(body),
              headers: { "content-type": "application/json", ...attempt.headers },
              maxRedirects: 0,
            });
            if (res.status() !== 308 || hop === 3) break;
            at = new URL(res.headers().location!, baseURL).pathname;
            if (at === new URL(url, baseURL).pathname) break;
          }
          if (res.status() === 308) continue;
          const text = await res.text();
          expect([attempt.status, 404], `${what}: ${text.slice(0, 200)}`).toContain(res.status());
          expect((await expectApiError(res, res.status())).code, what).toBe(
            ODD_CODES[res.status()],
          );
        }
      }
    }
  }
});

test("a query parameter given twice is refused, not read as one of its copies", async () => {
  const res = await send("member", "GET", "/api/videos?q=a&q=b");
  const error = await expectRefused(res, 400, "two q parameters");
  expect(error.message).toMatch(/^q: /);
});
