import { expect, fixtureVideo, test } from "./support";
import type { Page } from "@playwright/test";

test.describe.configure({ mode: "serial" });

const currentTime = (page: Page) =>
  page.getByTestId("video").evaluate((v: HTMLVideoElement) => v.currentTime);

/**
 * Starts playback from the beginning. The player first shows its Play button and,
 * once it knows the duration, may replace it with a resume offer left by an
 * earlier test: whichever is on screen is used until the video plays.
 */
async function startPlayback(page: Page): Promise<void> {
  const video = page.getByTestId("video");
  await expect(async () => {
    const startOver = page.getByRole("button", { name: "Start over" });
    const play = page.getByRole("button", { name: "Play" }).filter({ visible: true }).first();
    if (await startOver.isVisible()) await startOver.click({ timeout: 2000 });
    else if (await video.evaluate((v: HTMLVideoElement) => v.paused)) {
      if ((await play.count()) > 0) await play.click({ timeout: 2000 });
    }
    await page.waitForTimeout(500);
    expect(await currentTime(page)).toBeGreaterThan(0.5);
  }).toPass({ timeout: 45_000, intervals: [250, 500, 1000] });
}

test("a member finds the video in the catalog and watches it", async ({ memberPage: page }) => {
  const { videoId, title } = fixtureVideo();
  await page.goto("/videos");
  await page
    .getByRole("link", { name: new RegExp(title) })
    .first()
    .click();
  await expect(page).toHaveURL(new RegExp(`/watch\\?v=${videoId}`));
  await expect(page.getByRole("heading", { name: title })).toBeVisible();

  await startPlayback(page);
  await expect.poll(() => currentTime(page), { timeout: 30_000 }).toBeGreaterThan(3);
  // hls.js, not a fallback: three renditions of a 720p source.
  const heights = await page.evaluate(() => window.__reelgatePlayer?.levels().map((l) => l.height));
  expect(heights).toEqual([360, 540, 720]);
});

test("switching quality changes the level", async ({ memberPage: page }) => {
  const { videoId } = fixtureVideo();
  await page.goto(`/watch?v=${videoId}`);
  await startPlayback(page);
  // While playing, a new quality shows from the next segment boundary on; on a busy
  // machine the 24 s fixture could end first, so it loops instead of stopping.
  await page.getByTestId("video").evaluate((v: HTMLVideoElement) => {
    v.loop = true;
  });
  await page.getByRole("button", { name: "Quality" }).click();
  await page.getByRole("menuitemradio", { name: "360p" }).click();
  await expect
    .poll(() => page.evaluate(() => window.__reelgatePlayer?.currentLevel()), { timeout: 20_000 })
    .toBe(0);
  await expect
    .poll(() => page.getByTestId("video").evaluate((v: HTMLVideoElement) => v.videoHeight), {
      timeout: 30_000,
    })
    .toBe(360);
  await page.getByRole("button", { name: "Quality" }).click();
  await page.getByRole("menuitemradio", { name: "720p" }).click();
  await expect
    .poll(() => page.getByTestId("video").evaluate((v: HTMLVideoElement) => v.videoHeight), {
      timeout: 30_000,
    })
    .toBe(720);
});

test("reloading offers to resume at the saved position", async ({ memberPage: page }) => {
  const { videoId } = fixtureVideo();
  await page.goto(`/watch?v=${videoId}`);
  const saved = page.waitForRequest(
    (r) => r.url().endsWith(`/api/videos/${videoId}/progress`) && r.method() === "PUT",
  );
  await startPlayback(page);
  await expect.poll(() => currentTime(page), { timeout: 30_000 }).toBeGreaterThan(7);
  // The controls hide while playing; moving the pointer over the player shows them.
  await page.getByTestId("video").hover();
  await page.getByRole("button", { name: "Pause" }).filter({ visible: true }).first().click();
  await saved;
  const position = await currentTime(page);
  await page.waitForTimeout(500);

  await page.reload();
  const resume = page.getByRole("button", { name: /^Resume from \d+:\d\d$/ });
  await expect(resume).toBeVisible();
  const [, m, s] = /(\d+):(\d\d)/.exec((await resume.textContent()) ?? "")!;
  expect(Math.abs(Number(m) * 60 + Number(s) - position)).toBeLessThanOrEqual(2);
  await resume.click();
  await expect.poll(() => currentTime(page), { timeout: 30_000 }).toBeGreaterThan(position - 1);
});

test("signing out stops access to the media", async ({ browser }) => {
  const { videoId } = fixtureVideo();
  const context = await browser.newContext({ storageState: "tests/e2e/.auth/member.json" });
  const page = await context.newPage();
  await page.goto(`/watch?v=${videoId}`);
  await startPlayback(page);
  const api = (await (await page.request.get(`/api/videos/${videoId}`)).json()) as {
    playlistUrl: string;
  };
  expect((await page.request.get(api.playlistUrl)).status()).toBe(200);

  const other = await context.newPage();
  await other.goto("/signout");
  await other.getByRole("button", { name: "Sign out" }).click();
  await expect(other).toHaveURL(/\/$/);
  expect((await page.request.get(api.playlistUrl)).status()).toBe(403);
  // The player's next renewal finds the session gone and says so.
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
  await context.close();
});
