import { expect, expectApiError, test } from "./support";

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
  for (const part of ["database", "storage", "signer", "ffmpeg"])
    expect(body.checks[part]?.ok).toBe(true);
});

test("media without credentials is refused with CloudFront's XML", async ({ request }) => {
  const res = await request.get("/media/anything");
  expect(res.status()).toBe(403);
  const body = await res.text();
  expect(body).toContain("<Code>MissingKey</Code>");
  expect(body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Error>/);
});

for (const method of ["GET", "POST", "DELETE"]) {
  test(`${method} of an unknown /api/* path is a JSON 404, never a page`, async ({ request }) => {
    const res = await request.fetch("/api/no-such-route/deeper", { method });
    const error = await expectApiError(res, 404);
    expect(error.code).toBe("not_found");
  });
}
