import { expect, test } from "./support";

test("the landing page shows the product and a way in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle(/Reelgate/);
  await expect(page.getByRole("link", { name: /sign in/i }).first()).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("an unknown page gets the site's 404 page", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByText(/not found|404/i).first()).toBeVisible();
});

test("GET /api/health answers JSON with each part's state", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean }> };
  for (const part of ["database", "storage", "signer", "ffmpeg"]) expect(body.checks[part]?.ok).toBe(true);
});

test("media without credentials is refused with CloudFront's XML", async ({ request }) => {
  const res = await request.get("/media/anything");
  expect(res.status()).toBe(403);
  const body = await res.text();
  expect(body).toContain("<Code>MissingKey</Code>");
  expect(body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Error>/);
});

test("/api/* never falls back to a page", async ({ request }) => {
  const res = await request.get("/api/no-such-route");
  expect(res.status()).toBe(404);
  expect(res.headers()["content-type"] ?? "").not.toContain("text/html; charset=utf-8\n");
  expect(await res.text()).not.toContain("__next");
});
