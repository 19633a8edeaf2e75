import type { APIRequestContext, Browser, BrowserContext, Page } from "@playwright/test";
import { expect, localOnly, signInThroughUi, test } from "./support";
import { publishTestVideo, transcodeTestVideo } from "./media-fixtures";
import { startSecondPreview, type SecondPreview } from "./second-preview";

// Least-privilege media access in a real Chromium, on a preview of its own with short
// lifetimes (15 s cookies, a 5 s stream heartbeat): a member's cookies open the video
// they watch and nothing else; three devices play, a fourth is refused and can take
// the oldest one's place; a disabled member or one taken out of a group loses access
// at the next renewal, and the edge refuses what they hold once it expires.

const PORT = Number(process.env.E2E_ACCESS_PORT ?? 3127);
const TTL_SECONDS = 15;

test.describe.configure({ mode: "serial" });

let preview: SecondPreview;
let admin: APIRequestContext;
const ids = { open: "", draft: "", takenDown: "", staff: "" };
let staffGroup = "";

/** A member made through the admin API, in `groupIds`. */
async function member(label: string, groupIds: string[] = []) {
  const email = `${label}-${Date.now()}@access.test`;
  const password = `${label}-password-1`;
  const made = await admin.post("/api/admin/users", {
    data: { email, password, role: "member" },
  });
  expect(made.status(), await made.text()).toBe(201);
  const { user } = (await made.json()) as { user: { id: string } };
  if (groupIds.length > 0) {
    const put = await admin.patch(`/api/admin/users/${user.id}`, { data: { groupIds } });
    expect(put.status(), await put.text()).toBe(200);
  }
  return { id: user.id, email, password };
}

/** A signed-in browser of its own (so a device of its own) for `who`. */
async function browserOf(browser: Browser, who: { email: string; password: string }) {
  const context = await browser.newContext({ baseURL: preview.base });
  const page = await context.newPage();
  await signInThroughUi(page, who.email, who.password);
  return { context, page };
}

/** Opens the watch page and plays until the video moves. */
async function watch(page: Page, videoId: string): Promise<void> {
  await page.goto(`/watch?v=${videoId}`);
  await play(page);
}

/**
 * Presses Play, or "Resume from" when the member's progress from another device is offered
 * (as often as it takes the player to be ready), until the video moves.
 */
async function play(page: Page): Promise<void> {
  const video = page.getByTestId("video");
  await expect(async () => {
    const play = page
      .getByRole("button", { name: /^(Play|Resume from)/ })
      .filter({ visible: true })
      .first();
    if ((await video.evaluate((v: HTMLVideoElement) => v.paused)) && (await play.count()) > 0) {
      await play.click({ timeout: 2000 });
    }
    expect(await video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0.3);
  }).toPass({ timeout: 45_000, intervals: [250, 500, 1000] });
}

/**
 * A media file as the admin reads it, asserted 200. The admin's cookies live 15 s on this
 * preview like everyone's, so they are renewed first.
 */
async function adminRead(path: string): Promise<string> {
  expect((await admin.post("/api/signed-cookies")).status()).toBe(200);
  const res = await admin.get(path);
  expect(res.status(), `admin reads ${path}`).toBe(200);
  return res.text();
}

/** The master playlist, one segment and the posters of a video, as the admin reads them. */
async function mediaOf(videoId: string): Promise<string[]> {
  const master = `/media/videos/${videoId}/hls/master.m3u8`;
  const text = await adminRead(master);
  const variant = text.split("\n").find((l) => l && !l.startsWith("#"))!;
  const variantPath = new URL(variant, `http://x${master}`).pathname;
  const playlist = await adminRead(variantPath);
  const segment = playlist.split("\n").find((l) => l && !l.startsWith("#"))!;
  return [
    master,
    variantPath,
    new URL(segment, `http://x${variantPath}`).pathname,
    `/media/videos/${videoId}/poster.jpg`,
    `/media/posters/members/${videoId}.jpg`,
    `/media/posters/${staffGroup}/${videoId}.jpg`,
  ];
}

const mediaCookiesOf = async (context: BrowserContext) =>
  (await context.cookies()).filter((c) => c.name.startsWith("CloudFront-"));

test.beforeAll(async ({ playwright }) => {
  if (process.env.E2E_BASE_URL) return;
  test.setTimeout(600_000);
  preview = await startSecondPreview("access", PORT, {
    SIGNED_COOKIE_TTL_SECONDS: String(TTL_SECONDS),
    STREAM_HEARTBEAT_SECONDS: "5",
    MAX_STREAMS_PER_MEMBER: "3",
  });
  admin = await playwright.request.newContext({ baseURL: preview.base });
  const csrf = (await (await admin.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signedIn = await admin.post("/api/auth/callback/credentials", {
    form: { ...preview.admin, csrfToken: csrf.csrfToken },
    maxRedirects: 0,
  });
  expect(signedIn.status()).toBeLessThan(400);
  // The admin's catalog credential opens all of /media/, to read the others' files.
  expect((await admin.post("/api/signed-cookies")).status()).toBe(200);

  const group = await admin.post("/api/admin/groups", { data: { name: "Staff" } });
  expect(group.status()).toBe(201);
  staffGroup = ((await group.json()) as { id: string }).id;
  ids.open = await publishTestVideo(admin, "Open to all", 30, "640x360");
  ids.draft = await transcodeTestVideo(admin, "Draft", 4, "640x360");
  ids.takenDown = await publishTestVideo(admin, "Taken down", 4, "640x360");
  ids.staff = await publishTestVideo(admin, "Staff only", 20, "640x360");
  expect(
    (
      await admin.patch(`/api/admin/videos/${ids.takenDown}`, { data: { published: false } })
    ).status(),
  ).toBe(200);
  expect(
    (
      await admin.patch(`/api/admin/videos/${ids.staff}`, { data: { groupIds: [staffGroup] } })
    ).status(),
  ).toBe(200);
});

test.afterAll(async () => {
  await admin?.dispose();
  preview?.stop();
});

test("a member's cookies open the video they watch and nothing else, across renewals", async ({
  browser,
}) => {
  localOnly("starts its own preview with 15 s cookies");
  test.setTimeout(240_000);
  const { context, page } = await browserOf(browser, await member("watcher"));
  const renewals: number[] = [];
  const refusedOwn: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().endsWith("/api/signed-cookies")) {
      const body = r.postData() ?? "";
      if (body.includes(ids.open)) renewals.push(Date.now());
    }
  });
  page.on("response", (r) => {
    if (r.url().includes(`/media/videos/${ids.open}/`) && r.status() === 403) {
      refusedOwn.push(r.url());
    }
  });
  await watch(page, ids.open);

  // The video's own cookie set: its folder, nothing wider.
  const own = (await mediaCookiesOf(context)).filter((c) => c.path.startsWith("/media/videos/"));
  expect(own.map((c) => c.path)).toEqual(Array(3).fill(`/media/videos/${ids.open}/`));
  for (const c of own) expect(c.httpOnly).toBe(true);

  // The browser's own cookies (page.request shares them) for everything else: 403.
  for (const [what, videoId] of [
    ["an unpublished video", ids.draft],
    ["a video taken down", ids.takenDown],
    ["a video of a group the member is not in", ids.staff],
  ] as const) {
    for (const p of await mediaOf(videoId)) {
      const res = await page.request.get(p);
      expect(res.status(), `${what}: ${p}`).toBe(403);
      expect(await res.text(), p).toContain("<Error>");
    }
  }
  // The group's catalog image exists, and it is the credential that is missing.
  await adminRead(`/media/posters/${staffGroup}/${ids.staff}.jpg`);

  // Playback goes on across two renewals (the heartbeat is 5 s) without a refusal.
  const at = renewals.length;
  const video = page.getByTestId("video");
  const from = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(() => renewals.length - at, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime))
    .toBeGreaterThan(from + 8);
  expect(refusedOwn).toEqual([]);

  // Sign-out deletes every Reelgate media cookie, the video's included.
  await page.goto("/signout");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  expect(await mediaCookiesOf(context)).toEqual([]);
  expect((await page.request.get(`/media/videos/${ids.open}/hls/master.m3u8`)).status()).toBe(403);
  await context.close();
});

test("three devices play; the fourth is refused with stream_limit, and can stop the oldest", async ({
  browser,
}) => {
  localOnly("starts its own preview with MAX_STREAMS_PER_MEMBER=3");
  test.setTimeout(240_000);
  const who = await member("family");
  const devices = [];
  for (let i = 0; i < 3; i += 1) {
    const device = await browserOf(browser, who);
    await watch(device.page, ids.open);
    devices.push(device);
  }
  // A second tab of the first browser is the same device: it plays too.
  const tab = await devices[0]!.context.newPage();
  await watch(tab, ids.open);
  const streams = await devices[0]!.page.request.get("/api/streams");
  expect(((await streams.json()) as { streams: unknown[] }).streams).toHaveLength(3);

  const fourth = await browserOf(browser, who);
  const refused = fourth.page.waitForResponse(
    (r) =>
      r.url().endsWith("/api/signed-cookies") &&
      r.request().method() === "POST" &&
      (r.request().postData() ?? "").includes(ids.open),
  );
  await fourth.page.goto(`/watch?v=${ids.open}`);
  const answer = await refused;
  expect(answer.status()).toBe(429);
  const { error } = (await answer.json()) as {
    error: { code: string; limit: number; streams: { device: string }[] };
  };
  expect(error).toMatchObject({ code: "stream_limit", limit: 3 });
  expect(error.streams).toHaveLength(3);
  const overlay = fourth.page.getByRole("alert").filter({ hasText: "too many devices" });
  await expect(overlay).toBeVisible();
  await expect(overlay).toContainText("plays on 3 devices at once");
  await expect(
    fourth.page.getByRole("list", { name: "Your other streams" }).getByRole("listitem"),
  ).toHaveCount(3);

  await fourth.page.getByRole("button", { name: "Stop the oldest and watch here" }).click();
  await expect(overlay).toHaveCount(0);
  await play(fourth.page);
  // The oldest device finds out at its next renewal, and says why.
  await expect(devices[0]!.page.getByText("You are watching on too many devices")).toBeVisible({
    timeout: 20_000,
  });
  for (const device of [...devices, fourth]) await device.context.close();
});

test("a disabled member is refused at once; the edge refuses what they hold once it expires", async ({
  browser,
}) => {
  localOnly("starts its own preview with 15 s cookies");
  test.setTimeout(180_000);
  const who = await member("leaver");
  const { context, page } = await browserOf(browser, who);
  await watch(page, ids.open);
  const held = (await mediaCookiesOf(context))
    .filter((c) => c.path === `/media/videos/${ids.open}/`)
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
  const issuedAt = Date.now();

  const disabled = await admin.patch(`/api/admin/users/${who.id}`, { data: { disabled: true } });
  expect(disabled.status()).toBe(200);
  const renewal = await page.request.post("/api/signed-cookies", { data: { videoId: ids.open } });
  expect([401, 403]).toContain(renewal.status());
  // The player's next renewal (within the 5 s heartbeat) stops playback and says why.
  await expect(page.getByText("Your session has ended")).toBeVisible({ timeout: 20_000 });

  // Still valid until they expire (CloudFront has no revocation list)...
  const master = `${preview.base}/media/videos/${ids.open}/hls/master.m3u8`;
  const left = TTL_SECONDS * 1000 - (Date.now() - issuedAt);
  if (left > 2000) expect((await fetch(master, { headers: { cookie: held } })).status).toBe(200);
  // ...and refused by the edge once they have.
  await page.waitForTimeout(Math.max(0, left) + 2000);
  const late = await fetch(master, { headers: { cookie: held } });
  expect(late.status).toBe(403);
  expect(await late.text()).toContain("AccessDenied");
  await context.close();
});

test("taken out of the video's group, a watching member is told and stopped", async ({
  browser,
}) => {
  localOnly("starts its own preview with a 5 s heartbeat");
  test.setTimeout(120_000);
  const who = await member("staffer", [staffGroup]);
  const { context, page } = await browserOf(browser, who);
  await watch(page, ids.staff);
  const out = await admin.patch(`/api/admin/users/${who.id}`, { data: { groupIds: [] } });
  expect(out.status()).toBe(200);
  await expect(page.getByText("This video is no longer available")).toBeVisible({
    timeout: 20_000,
  });
  const catalog = (await (await page.request.get("/api/videos")).json()) as {
    videos: { id: string }[];
  };
  expect(catalog.videos.map((v) => v.id)).not.toContain(ids.staff);
  expect((await page.request.get(`/api/videos/${ids.staff}`)).status()).toBe(404);
  await context.close();
});
