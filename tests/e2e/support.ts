import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test as base, type APIResponse, type Page } from "@playwright/test";

export const remote = Boolean(process.env.E2E_BASE_URL);
export const dataDir = process.env.E2E_DATA_DIR ?? "";

export const accounts = {
  admin: { email: process.env.E2E_ADMIN_EMAIL!, password: process.env.E2E_ADMIN_PASSWORD! },
  member: {
    email: process.env.E2E_MEMBER_EMAIL ?? "member@e2e.test",
    password: process.env.E2E_MEMBER_PASSWORD ?? "e2e-member-password-1",
  },
};

export const authFile = (who: "admin" | "member") =>
  path.join(import.meta.dirname, ".auth", `${who}.json`);

/** The video the setup project published for the playback tests. */
export const fixtureFile = path.join(import.meta.dirname, ".auth", "fixture.json");

export function fixtureVideo(): { videoId: string; title: string } {
  return JSON.parse(readFileSync(fixtureFile, "utf8")) as { videoId: string; title: string };
}

/** Signs in through the sign-in page, as a person would. */
export async function signInThroughUi(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/videos/);
}

/** A new member account, made by the admin through the API; `label` starts its email. */
export async function createMemberThroughApi(
  adminPage: Page,
  label: string,
): Promise<{ id: string; email: string; password: string }> {
  const email = `${label}-${Date.now()}@e2e.test`;
  const password = `${label}-password-1`;
  const created = await adminPage.request.post("/api/admin/users", {
    data: { email, password, role: "member" },
  });
  expect(created.status()).toBe(201);
  const { user } = (await created.json()) as { user: { id: string } };
  return { id: user.id, email, password };
}

/** Skips a test that needs the local preview's internals on a remote run. */
export function localOnly(reason: string): void {
  base.skip(remote, `needs the local preview: ${reason}`);
}

/** The JSON error format of the API (of a Playwright response, or anything shaped like one). */
export async function expectApiError(
  res: Pick<APIResponse, "status" | "headers" | "text" | "json">,
  status: number,
): Promise<{ code: string; message: string }> {
  expect(res.status(), await res.text()).toBe(status);
  expect(res.headers()["content-type"]).toContain("application/json");
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(typeof body.error.code).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(JSON.stringify(body)).not.toMatch(/at .+\.(js|ts):\d+/);
  return body.error;
}

type Fixtures = {
  adminPage: Page;
  memberPage: Page;
};

/** Pages already signed in as the admin or the member (state saved by the setup project). */
export const test = base.extend<Fixtures>({
  adminPage: async ({ browser }, use) => {
    const context = await browser.newContext({ storageState: authFile("admin") });
    await use(await context.newPage());
    await context.close();
  },
  memberPage: async ({ browser }, use) => {
    const context = await browser.newContext({ storageState: authFile("member") });
    await use(await context.newPage());
    await context.close();
  },
});

export { expect };
