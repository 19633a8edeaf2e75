import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import {
  accounts,
  createMemberThroughApi,
  dataDir,
  expect,
  expectApiError,
  localOnly,
  signInThroughUi,
  test,
} from "./support";

// One object in the catalog folder every member may see, one outside every credential.
const PROBE = "media/posters/members/e2eprobe0001.jpg";
const OUTSIDE = "media/e2e/probe.txt";

test.describe("media access follows the session", () => {
  test.beforeAll(() => {
    if (!dataDir) return;
    for (const key of [PROBE, OUTSIDE]) {
      mkdirSync(path.join(dataDir, "bucket", path.dirname(key)), { recursive: true });
      writeFileSync(path.join(dataDir, "bucket", key), "members only\n");
    }
  });

  test("signed out 403, signed in 200, signed out again 403", async ({ page }) => {
    localOnly("writes a probe object into the local bucket");
    const probe = `/${PROBE}`;
    expect((await page.request.get(probe)).status()).toBe(403);

    await signInThroughUi(page, accounts.member.email, accounts.member.password);
    const cookies = await page.context().cookies();
    const media = cookies.filter((c) => c.name.startsWith("CloudFront-"));
    // The catalog's credential: its own folder, nothing wider.
    expect(media.map((c) => `${c.path} ${c.name}`).sort()).toEqual([
      "/media/posters/members/ CloudFront-Key-Pair-Id",
      "/media/posters/members/ CloudFront-Policy",
      "/media/posters/members/ CloudFront-Signature",
    ]);
    for (const c of media) {
      expect(c.httpOnly).toBe(true);
      expect(c.sameSite).toBe("Lax");
    }
    const ok = await page.request.get(probe);
    expect(ok.status()).toBe(200);
    expect(await ok.text()).toBe("members only\n");
    expect((await page.request.get(`/${OUTSIDE}`)).status()).toBe(403);

    await page.goto("/signout");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/$/);
    expect((await page.request.get(probe)).status()).toBe(403);
    expect(
      (await page.context().cookies()).filter((c) => c.name.startsWith("CloudFront-")),
    ).toEqual([]);
    await expectApiError(await page.request.post("/api/signed-cookies"), 401);
  });
});

test("a member calling an admin route gets 403", async ({ memberPage }) => {
  await expectApiError(await memberPage.request.get("/api/admin/users"), 403);
});

test("a wrong password says so without naming the cause", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("nobody@e2e.test");
  await page.getByLabel("Password", { exact: true }).fill("wrong-password-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Email or password is incorrect.")).toBeVisible();
});

test("repeated wrong passwords are throttled with 429 and Retry-After", async ({ page }) => {
  localOnly("the limit is set by the local preview's SIGNIN_MAX_FAILURES");
  const email = `locked-${Date.now()}@e2e.test`;
  await page.goto("/signin");
  for (let i = 0; i < 5; i += 1) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(`wrong-${i}-password`);
    await page.getByRole("button", { name: "Sign in" }).click();
    // The form's alert; Next.js's route announcer is an (empty) role=alert element too.
    await expect(
      page.getByRole("alert").filter({ hasText: /Email or password is incorrect|Too many/ }),
    ).toBeVisible();
  }
  await expect(page.getByText(/Too many/)).toBeVisible();

  const csrf = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await page.request.post("/api/auth/callback/credentials", {
    form: { email, password: "still-wrong", csrfToken: csrf.csrfToken },
    headers: { "x-auth-return-redirect": "1" },
  });
  const error = await expectApiError(res, 429);
  expect(error.code).toBe("rate_limited");
  expect(Number(res.headers()["retry-after"])).toBeGreaterThan(0);
});

test("a disabled member loses media access at the next cookie renewal", async ({
  adminPage,
  browser,
}) => {
  const { email, password, id } = await createMemberThroughApi(adminPage, "disabled");

  const context = await browser.newContext();
  const page = await context.newPage();
  await signInThroughUi(page, email, password);
  expect((await page.request.post("/api/signed-cookies")).status()).toBe(200);

  const disabled = await adminPage.request.patch(`/api/admin/users/${id}`, {
    data: { disabled: true },
  });
  expect(disabled.status()).toBe(200);
  await expectApiError(await page.request.post("/api/signed-cookies"), 401);
  await context.close();

  // And cannot sign in again.
  const again = await browser.newContext();
  const retry = await again.newPage();
  await retry.goto("/signin");
  await retry.getByLabel("Email").fill(email);
  await retry.getByLabel("Password", { exact: true }).fill(password);
  await retry.getByRole("button", { name: "Sign in" }).click();
  await expect(retry.getByText("Email or password is incorrect.")).toBeVisible();
  await again.close();
});
