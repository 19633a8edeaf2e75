import { expect, localOnly, signInThroughUi, test } from "./support";
import { publishTestVideo } from "./media-fixtures";
import { startSecondPreview, type SecondPreview } from "./second-preview";

// A second preview with 15-second media cookies: playback must run through
// several expiries, the player renewing ahead of time (and once more on a 403 if
// it ever comes to that) without stalling or showing an error.

const PORT = Number(process.env.E2E_TTL_PORT ?? 3117);
let preview: SecondPreview | undefined;

test.beforeAll(async () => {
  if (process.env.E2E_BASE_URL) return;
  test.setTimeout(300_000);
  preview = await startSecondPreview("ttl", PORT, { SIGNED_COOKIE_TTL_SECONDS: "15" });
});

test.afterAll(() => preview?.stop());

test("with 15 s cookies, playback continues past two expiries without a stall or error", async ({
  browser,
}) => {
  localOnly("starts its own preview with SIGNED_COOKIE_TTL_SECONDS=15");
  test.setTimeout(400_000);
  const context = await browser.newContext({ baseURL: preview!.base });
  const page = await context.newPage();
  await signInThroughUi(page, preview!.admin.email, preview!.admin.password);
  const videoId = await publishTestVideo(page.request, "Cookie renewal", 60, "640x360");

  const renewals: number[] = [];
  const denied: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().endsWith("/api/signed-cookies")) renewals.push(Date.now());
  });
  page.on("response", (r) => {
    if (r.url().includes("/media/") && r.status() === 403) denied.push(r.url());
  });

  await page.goto(`/watch?v=${videoId}`);
  await page.getByRole("button", { name: "Play" }).filter({ visible: true }).first().click();
  const video = page.getByTestId("video");
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(0.5);
  const started = Date.now();
  const renewalsAtStart = renewals.length;
  // A stall a viewer would see: the player waiting for data for more than a second.
  await video.evaluate((v: HTMLVideoElement) => {
    const w = window as unknown as { __stalls: number[]; __waitingSince: number | null };
    w.__stalls = [];
    w.__waitingSince = null;
    v.addEventListener("waiting", () => (w.__waitingSince = performance.now()));
    v.addEventListener("playing", () => {
      if (w.__waitingSince !== null) w.__stalls.push(performance.now() - w.__waitingSince);
      w.__waitingSince = null;
    });
  });

  // 40 s of playback covers two full 15-second lifetimes and then some.
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), {
      timeout: 90_000,
      intervals: [1000],
    })
    .toBeGreaterThan(40);
  const elapsed = (Date.now() - started) / 1000;

  expect(renewals.length - renewalsAtStart, "renewals during playback").toBeGreaterThanOrEqual(2);
  const stalls = await page.evaluate(() => (window as unknown as { __stalls: number[] }).__stalls);
  expect(
    stalls.filter((ms) => ms > 1000),
    `stalls: ${stalls.join(", ")} ms`,
  ).toEqual([]);
  // Real time kept pace with media time: no hidden stall longer than a few seconds.
  expect(elapsed).toBeLessThan(40 + 8);
  await expect(page.getByText("Your session has ended")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Try again" })).toHaveCount(0);
  // A 403 may occur if a renewal loses a race with a segment request, but never repeatedly.
  expect(denied.length).toBeLessThanOrEqual(1);
  await context.close();
});
