import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Page } from "@playwright/test";
import { apiRoutesInSource } from "../support/files";
import { expect, expectApiError, fixtureVideo, localOnly, test } from "./support";

// Cross-site request forgery from another origin of the same site. The session cookie is
// SameSite=Lax, which stops other sites but not a sibling origin (another port or
// subdomain of the same registrable domain): a form there that posts here carries the
// member's cookies. Every state-changing API request is checked in the route wrapper
// against Sec-Fetch-Site and Origin, and refused with a 403.

let attacker: http.Server;
let attackerOrigin: string;
let forms: Map<string, { action: string; fields?: Record<string, string> }>;

test.beforeAll(async () => {
  forms = new Map();
  attacker = http.createServer((req, res) => {
    const form = forms.get(req.url ?? "");
    if (!form) return void res.writeHead(404).end();
    const inputs = Object.entries(form.fields ?? {})
      .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
      .join("");
    res.writeHead(200, { "content-type": "text/html" });
    res.end(
      `<!doctype html><form method="post" action="${form.action}">${inputs}</form>` +
        "<script>document.forms[0].submit()</script>",
    );
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  // localhost on another port: another origin, the same site as the preview.
  attackerOrigin = `http://localhost:${(attacker.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => attacker?.close(resolve));
});

/** Opens a page on the sibling origin that posts a form to `target`; the target's answer. */
async function postFromSibling(page: Page, target: string) {
  const base = test.info().project.use.baseURL!;
  const name = `/form-${forms.size}`;
  forms.set(name, { action: new URL(target, base).href });
  const answer = page.waitForResponse((res) => res.url().endsWith(target));
  await page.goto(`${attackerOrigin}${name}`);
  return answer;
}

test("a form on a sibling origin cannot get a member's media cookies", async ({ memberPage }) => {
  localOnly("serves the attacker's page on another port of localhost");
  const res = await postFromSibling(memberPage, "/api/signed-cookies");
  expect((await res.request().allHeaders())["sec-fetch-site"]).toBe("same-site");
  expect(res.status()).toBe(403);
  const error = (await res.json()) as { error: { code: string; message: string } };
  expect(error.error.code).toBe("forbidden");
  expect(error.error.message).toMatch(/another site|other origin/i);
  expect((await res.allHeaders())["set-cookie"] ?? "").not.toContain("CloudFront-");
});

test("a form on a sibling origin cannot retry an admin's video", async ({ adminPage }) => {
  localOnly("serves the attacker's page on another port of localhost");
  const res = await postFromSibling(adminPage, `/api/admin/videos/${fixtureVideo().videoId}/retry`);
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
});

test("every state-changing route refuses cross-site requests, and takes same-origin ones", async ({
  adminPage,
}) => {
  const base = test.info().project.use.baseURL!;
  const refused: Record<string, string>[] = [
    { "sec-fetch-site": "same-site" },
    { "sec-fetch-site": "cross-site" },
    { origin: "http://localhost:1" },
    { origin: "null" },
    { origin: `${base}.evil.test` },
  ];
  const routes = apiRoutesInSource(path.resolve("."));
  let checked = 0;
  for (const { route, methods } of routes) {
    // Placeholders filled with well-formed ids of nothing: the check comes first.
    const url = route
      .replace("[[...path]]", "no-such-route")
      .replace("[...nextauth]", "signout")
      .replace(/\[(\w+)\]/g, (_, p: string) => (p === "lang" ? "en" : p === "part" ? "1" : "0"));
    for (const method of methods.filter((m) => !["GET", "HEAD", "OPTIONS"].includes(m))) {
      for (const headers of refused) {
        const res = await adminPage.request.fetch(url, { method, headers, maxRedirects: 0 });
        const error = await expectApiError(res, 403);
        expect(error.code, `${method} ${url} ${JSON.stringify(headers)}`).toBe("forbidden");
        checked += 1;
      }
    }
  }
  expect(checked).toBeGreaterThan(60);

  // The portal's own pages send same-origin requests, and scripts send neither header.
  const own = await adminPage.request.post("/api/signed-cookies", {
    headers: { origin: new URL(base).origin, "sec-fetch-site": "same-origin" },
  });
  expect(own.status()).toBe(200);
  expect((await adminPage.request.post("/api/signed-cookies")).status()).toBe(200);
  // Reading is not a state change: a sibling may ask (and CORS keeps the answer from it).
  const read = await adminPage.request.get("/api/me", {
    headers: { "sec-fetch-site": "same-site" },
  });
  expect(read.status()).toBe(200);
});
