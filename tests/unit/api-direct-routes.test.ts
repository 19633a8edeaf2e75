import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startPreview, type Preview } from "../support/preview";

// scripts/api-server.mjs calls the handler of `/api/signed-cookies` directly instead of
// going through Next's router. A request whose URL differs only by a query
// (`/api/signed-cookies?via=next`) is not matched by the direct dispatch and takes Next's way, so
// one preview can answer both ways; each pair of answers must agree.

const PORT = Number(process.env.DIRECT_TEST_PORT ?? 3157);
const DIRECT = "/api/signed-cookies";
const VIA_NEXT = "/api/signed-cookies?via=next";

interface Answer {
  /** Next's router adds `Vary: rsc, ...` to every answer; the direct dispatch does not. */
  viaNext: boolean;
  status: number;
  headers: Record<string, string>;
  setCookies: string[];
  body: string;
}

// Headers that differ between any two answers; `vary`, which Next's router adds to every
// answer for its own RSC requests; and `content-encoding`: Next gzips even a 40-byte
// body, the direct dispatch sends it as it is (the bodies are compared decoded).
const VOLATILE = new Set([
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "vary",
  "content-encoding",
]);

async function ask(preview: Preview, url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${preview.base}${url}`, { redirect: "manual", ...init });
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!VOLATILE.has(name) && name !== "set-cookie" && name !== "content-length")
      headers[name] = value;
  });
  return {
    viaNext: (res.headers.get("vary") ?? "").includes("rsc"),
    status: res.status,
    headers,
    setCookies: res.headers.getSetCookie(),
    body: await res.text(),
  };
}

/** Times in a Set-Cookie or body can differ by the second between two answers. */
function withoutTimes(text: string): string {
  return text
    .replace(/Expires=[^;]+/g, "Expires=<t>")
    .replace(/Max-Age=\d+/g, "Max-Age=<n>")
    .replace(/"expiresAt":"[^"]+"/g, '"expiresAt":"<t>"')
    .replace(/CloudFront-(Policy|Signature)=[^;]+/g, "CloudFront-$1=<signed>");
}

function comparable(a: Answer) {
  return {
    status: a.status,
    headers: a.headers,
    setCookies: a.setCookies.map(withoutTimes),
    body: withoutTimes(a.body),
  };
}

describe("the API server's direct dispatch of POST /api/signed-cookies", () => {
  let preview: Preview;
  let session: string;

  beforeAll(async () => {
    preview = await startPreview(PORT);
    session = await signIn(preview.base, preview.admin.email, preview.admin.password);
  }, 600_000);

  afterAll(async () => {
    await preview?.stop();
  }, 60_000);

  const cases: [string, () => RequestInit][] = [
    ["POST signed in", () => ({ method: "POST", headers: { cookie: session } })],
    ["POST signed out", () => ({ method: "POST" })],
    [
      "POST with a forged session",
      () => ({ method: "POST", headers: { cookie: "authjs.session-token=forged" } }),
    ],
    [
      "POST with a JSON body",
      () => ({
        method: "POST",
        headers: { cookie: session, "content-type": "application/json" },
        body: JSON.stringify({ ignored: true }),
      }),
    ],
    [
      "POST for a video that does not exist (404)",
      () => ({
        method: "POST",
        headers: { cookie: session, "content-type": "application/json" },
        body: JSON.stringify({ videoId: "noSuchVideo1" }),
      }),
    ],
    ["DELETE", () => ({ method: "DELETE", headers: { cookie: session } })],
    ["GET (405)", () => ({ method: "GET", headers: { cookie: session } })],
    ["PUT (405)", () => ({ method: "PUT", headers: { cookie: session }, body: "x" })],
  ];

  it.each(cases)("%s: the same answer as through Next's router", async (_name, init) => {
    const direct = await ask(preview, DIRECT, init());
    const viaNext = await ask(preview, VIA_NEXT, init());
    // The two answers came two different ways (or the comparison proves nothing).
    expect([direct.viaNext, viaNext.viaNext]).toEqual([false, true]);
    expect(comparable(direct)).toEqual(comparable(viaNext));
  });

  it("issues working media cookies, and the session's user is checked", async () => {
    const issued = await ask(preview, DIRECT, { method: "POST", headers: { cookie: session } });
    expect(issued.status).toBe(200);
    expect(issued.setCookies.map((c) => c.split("=")[0])).toEqual([
      "CloudFront-Policy",
      "CloudFront-Signature",
      "CloudFront-Key-Pair-Id",
    ]);
    const media = issued.setCookies.map((c) => c.split(";")[0]).join("; ");
    // Signed: the edge lets /media/ through to the bucket (a missing key is S3's 403 AccessDenied
    // either way, so a playlist that does not exist proves nothing: check the edge's reason).
    const denied = await fetch(`${preview.base}/media/none.m3u8`);
    const allowed = await fetch(`${preview.base}/media/none.m3u8`, { headers: { cookie: media } });
    expect(await denied.text()).toContain("MissingKey");
    expect(await allowed.text()).not.toContain("MissingKey");
    expect((await ask(preview, DIRECT, { method: "POST" })).status).toBe(401);
  });
});
