import { createMemberThroughApi, expect, fixtureVideo, signInThroughUi, test } from "./support";

// Opened directly, the watch page plays from its static HTML and an inline script, before
// the app's scripts run, and the app's player then takes that playback over
// (components/player/early-player.ts). Held back here: the app's scripts, until the video
// has played for a while without them.

test("the watch page plays before the app loads, and the player takes over the same playback", async ({
  adminPage,
  browser,
}) => {
  // A member of its own: no saved position (which would bring a resume offer instead).
  const { email, password } = await createMemberThroughApi(adminPage, "early");

  const context = await browser.newContext();
  const page = await context.newPage();
  await signInThroughUi(page, email, password);
  // No media cookies at all: the early player's first playlist request gets a 403, and it
  // tries again with the cookies the page asked for.
  await context.clearCookies({ path: "/media/" });

  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/_next\/static\/chunks\/.+\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  const masters: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/hls/master.m3u8")) masters.push(request.url());
  });

  const { videoId } = fixtureVideo();
  await page.goto(`/watch?v=${videoId}`);
  const video = page.getByTestId("video");
  await page.getByRole("button", { name: "Play" }).click();
  const currentTime = () => video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(currentTime, { timeout: 30_000 }).toBeGreaterThan(1.5);
  // Playing without the app: none of the player's controls are there.
  await expect(page.getByRole("button", { name: "Quality" })).toHaveCount(0);
  await video.evaluate((v: HTMLVideoElement) => {
    v.dataset.early = "yes";
  });
  const beforeTakeover = await currentTime();
  const mastersBefore = masters.length;

  release();
  await expect(page.getByRole("button", { name: "Quality" })).toBeAttached({ timeout: 30_000 });
  // The same element, still playing on from where it was: no restart, no second source.
  await expect(page.locator("video")).toHaveCount(1);
  await expect(page.locator('video[data-early="yes"]')).toHaveCount(1);
  await expect.poll(currentTime, { timeout: 20_000 }).toBeGreaterThan(beforeTakeover + 1);
  expect(masters.length).toBe(mastersBefore);
  // hls.js adopted: the player sees its levels, and the title is the record's.
  const heights = await page.evaluate(() => window.__reelgatePlayer?.levels().map((l) => l.height));
  expect(heights).toEqual([360, 540, 720]);
  await expect(page.getByRole("heading", { name: fixtureVideo().title })).toBeVisible();
  await context.close();
});
