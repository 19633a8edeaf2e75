import type { Browser, Page } from "@playwright/test";
import type { PlaybackBeacon, VideoAnalytics } from "../../lib/contract/analytics-types";
import { publishTestVideo } from "./media-fixtures";
import { createMemberThroughApi, expect, signInThroughUi, test } from "./support";

// Members watch a video in Chromium; the admin analytics (JSON and page) then show their
// views, watch seconds and a startup time within 100 ms of the player's own measurement,
// which is itself checked against a probe of the page's own events.

test.describe.configure({ mode: "serial" });

// The page's own view of the startup: the first click (the member presses Play) to the
// first `playing` of a <video> (media events do not bubble, but capture reaches them).
const STARTUP_PROBE = `
  window.__probe = { clickAt: null, playingAt: null };
  addEventListener("click", () => { window.__probe.clickAt ??= performance.now(); }, true);
  document.addEventListener("playing", () => { window.__probe.playingAt ??= performance.now(); }, true);
`;

interface Watched {
  /** What the player measured (window.__reelgateQoe) just before the member left. */
  player: PlaybackBeacon;
  probeMs: number;
}

async function watch(page: Page, videoId: string, seconds: number): Promise<Watched> {
  await page.addInitScript(STARTUP_PROBE);
  await page.goto(`/watch?v=${videoId}`);
  const video = page.getByTestId("video");
  await page.getByRole("button", { name: "Play" }).filter({ visible: true }).first().click();
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(seconds);
  await video.evaluate((v: HTMLVideoElement) => v.pause());
  const player = await page.evaluate(() => window.__reelgateQoe?.snapshot() ?? null);
  const probe = await page.evaluate(
    () => (window as unknown as { __probe: { clickAt: number; playingAt: number } }).__probe,
  );
  expect(player, "the player's measurement").not.toBeNull();
  // Leaving the page sends the last beacon (pagehide).
  await page.goto("/videos");
  return { player: player!, probeMs: probe.playingAt - probe.clickAt };
}

async function memberPageOf(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInThroughUi(page, email, password);
  return page;
}

let videoId = "";

test("members watch a video: its analytics show the views, watch time and startup", async ({
  adminPage,
  memberPage,
  browser,
}) => {
  test.setTimeout(300_000);
  videoId = await publishTestVideo(adminPage.request, `Analytics ${Date.now()}`, 12, "640x360");
  const other = await createMemberThroughApi(adminPage, "analytics");
  const otherPage = await memberPageOf(browser, other.email, other.password);

  const views = [await watch(memberPage, videoId, 3), await watch(otherPage, videoId, 2)];
  for (const { player, probeMs } of views) {
    expect(player.startupMs, "the player measured a startup").toBeDefined();
    expect(Math.abs(player.startupMs! - probeMs), "player vs the page's own events").toBeLessThan(
      100,
    );
    expect(player.watchSeconds).toBeGreaterThan(1.5);
  }

  const url = `/api/admin/analytics/videos/${videoId}`;
  await expect
    .poll(async () => ((await (await adminPage.request.get(url)).json()) as VideoAnalytics).views, {
      timeout: 15_000,
    })
    .toBe(2);
  const figures = (await (await adminPage.request.get(url)).json()) as VideoAnalytics;
  expect(figures.uniqueMembers).toBe(2);
  const watched = views.reduce((s, v) => s + v.player.watchSeconds, 0);
  expect(
    Math.abs(figures.watchSeconds - watched),
    `${figures.watchSeconds} vs ${watched}`,
  ).toBeLessThan(1);
  // The median of two views is their mean (percentile_cont).
  const startups = views.map((v) => v.player.startupMs!);
  const mean = (startups[0]! + startups[1]!) / 2;
  expect(Math.abs(figures.startup.p50Ms! - mean)).toBeLessThan(100);
  const probeMean = (views[0]!.probeMs + views[1]!.probeMs) / 2;
  expect(Math.abs(figures.startup.p50Ms! - probeMean)).toBeLessThan(100);
  console.log(
    `analytics: player startups ${startups.join(", ")} ms, page probe ${views.map((v) => Math.round(v.probeMs)).join(", ")} ms, p50 ${figures.startup.p50Ms} ms; watch ${watched.toFixed(2)} s vs ${figures.watchSeconds} s`,
  );
  expect(figures.startup.score).toBeGreaterThan(0);
  expect(figures.retention[0]).toBe(1);
  expect(figures.qualityMix.length).toBeGreaterThan(0);
  expect(figures.daily.at(-1)).toMatchObject({ views: 2, uniqueMembers: 2 });

  // The summary names the video with the same figures.
  const summary = (await (await adminPage.request.get("/api/admin/analytics?days=7")).json()) as {
    videos: { videoId: string; views: number; watchSeconds: number; startup: { p50Ms: number } }[];
  };
  expect(summary.videos.find((v) => v.videoId === videoId)).toMatchObject({
    views: 2,
    watchSeconds: figures.watchSeconds,
    startup: { p50Ms: figures.startup.p50Ms },
  });

  // And the admin page shows them.
  await adminPage.goto(`/admin/analytics?v=${videoId}`);
  await expect(adminPage.getByTestId("video-views")).toHaveText("2");
  await expect(adminPage.getByTestId("video-members")).toHaveText("2");
  await expect(adminPage.getByTestId("video-startup-p50")).toHaveText(
    `${figures.startup.p50Ms} ms`,
  );
  await expect(
    adminPage.getByRole("img", { name: "Retention curve" }).locator("canvas"),
  ).toBeVisible();
  await otherPage.context().close();
});

test("the analytics are admins' only", async ({ memberPage, playwright, baseURL }) => {
  const anyone = await playwright.request.newContext({ baseURL });
  for (const path of ["/api/admin/analytics", `/api/admin/analytics/videos/${videoId || "x"}`]) {
    expect((await memberPage.request.get(path)).status(), path).toBe(403);
    expect((await anyone.get(path)).status(), path).toBe(401);
  }
  await anyone.dispose();
});
