import type { Browser, Page } from "@playwright/test";
import { createMemberThroughApi, expect, signInThroughUi, test } from "./support";

// Account self-service: a member changes their own password, sees where they are signed
// in and signs out everywhere; an admin gives a member who forgot theirs a one-time link.

async function signedInPage(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInThroughUi(page, email, password);
  return page;
}

async function isSignedIn(page: Page): Promise<boolean> {
  return (await page.request.get("/api/me")).status() === 200;
}

test("a member changes their password on /account; their other browsers are signed out", async ({
  browser,
  adminPage,
}) => {
  const member = await createMemberThroughApi(adminPage, "change");
  const laptop = await signedInPage(browser, member.email, member.password);
  const phone = await signedInPage(browser, member.email, member.password);

  await laptop.goto("/account");
  await expect(laptop.getByRole("heading", { name: "Your account" })).toBeVisible();
  // Both browsers are listed, this one marked.
  const sessions = laptop.getByRole("region", { name: "Where you are signed in" });
  await expect(sessions.getByRole("button", { name: /^Sign out/ })).toHaveCount(2 + 1);
  await expect(sessions.getByText("This browser")).toHaveCount(1);

  await laptop.getByLabel("Current password").fill("not-my-password");
  await laptop.getByLabel("New password", { exact: true }).fill("a-brand-new-password");
  await laptop.getByLabel("Repeat the new password").fill("a-brand-new-password");
  await laptop.getByRole("button", { name: "Change password" }).click();
  await expect(laptop.getByText("that is not your current password")).toBeVisible();

  await laptop.getByLabel("Current password").fill(member.password);
  await laptop.getByRole("button", { name: "Change password" }).click();
  await expect(
    laptop.getByText(/Your password is changed\. 1 other session was signed out/),
  ).toBeVisible();

  expect(await isSignedIn(laptop)).toBe(true);
  expect(await isSignedIn(phone)).toBe(false);
  // The old password is gone, the new one works.
  const again = await (await browser.newContext()).newPage();
  await again.goto("/signin");
  await again.getByLabel("Email").fill(member.email);
  await again.getByLabel("Password", { exact: true }).fill(member.password);
  await again.getByRole("button", { name: "Sign in" }).click();
  await expect(again.getByText("Email or password is incorrect.")).toBeVisible();
  await signInThroughUi(again, member.email, "a-brand-new-password");
});

test("sign out everywhere ends every session, and a copied session cookie stops working", async ({
  browser,
  adminPage,
}) => {
  const member = await createMemberThroughApi(adminPage, "everywhere");
  const first = await signedInPage(browser, member.email, member.password);
  const second = await signedInPage(browser, member.email, member.password);
  // A copy of the first browser's cookies, as a thief would hold them.
  const stolen = await browser.newContext({ storageState: await first.context().storageState() });
  expect((await stolen.request.get("/api/me")).status()).toBe(200);

  await first.goto("/account");
  await first.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(first).toHaveURL(/\/signin/);
  expect(await isSignedIn(first)).toBe(false);
  expect(await isSignedIn(second)).toBe(false);
  expect((await stolen.request.get("/api/me")).status()).toBe(401);
  // NextAuth's own session read honours it too.
  const session = await stolen.request.get("/api/auth/session");
  expect(await session.json()).toBeNull();
  await stolen.close();
});

test("disabling a member signs them out at once", async ({ browser, adminPage }) => {
  const member = await createMemberThroughApi(adminPage, "disable");
  const page = await signedInPage(browser, member.email, member.password);
  expect(await isSignedIn(page)).toBe(true);
  await adminPage.request.patch(`/api/admin/users/${member.id}`, { data: { disabled: true } });
  await adminPage.request.patch(`/api/admin/users/${member.id}`, { data: { disabled: false } });
  // Enabled again, the old session stays ended.
  expect(await isSignedIn(page)).toBe(false);
});

test("an admin's reset link sets a new password once, and signs the member out everywhere", async ({
  browser,
  adminPage,
}) => {
  const member = await createMemberThroughApi(adminPage, "forgot");
  const old = await signedInPage(browser, member.email, member.password);

  await adminPage.goto("/admin/users");
  await adminPage.getByRole("button", { name: `Password reset link for ${member.email}` }).click();
  await expect(adminPage.getByRole("heading", { name: "Reset link made" })).toBeVisible();
  const link = await adminPage.getByLabel("Reset link", { exact: true }).inputValue();
  expect(link).toMatch(/\/reset-password#token=[A-Za-z0-9_-]{43}$/);

  const visitor = await (await browser.newContext()).newPage();
  const requests: string[] = [];
  visitor.on("request", (r) => requests.push(r.url()));
  await visitor.goto(link);
  // The token leaves the address bar once read, and no request carried it.
  await expect(visitor).toHaveURL(/\/reset-password$/);
  await visitor.getByLabel("New password", { exact: true }).fill("reset-by-link-password");
  await visitor.getByLabel("Repeat it").fill("reset-by-link-password");
  await visitor.getByRole("button", { name: "Set password" }).click();
  await expect(visitor.getByText("Your password is set")).toBeVisible();
  const token = new URL(link).hash.slice("#token=".length);
  expect(requests.filter((u) => u.includes(token))).toEqual([]);

  expect(await isSignedIn(old)).toBe(false);
  await signInThroughUi(visitor, member.email, "reset-by-link-password");

  // A second use is refused.
  const reuse = await (await browser.newContext()).newPage();
  await reuse.goto(link);
  await reuse.getByLabel("New password", { exact: true }).fill("another-password-12");
  await reuse.getByLabel("Repeat it").fill("another-password-12");
  await reuse.getByRole("button", { name: "Set password" }).click();
  await expect(reuse.getByText(/already used/)).toBeVisible();
});
