import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import type { PlaybackBeacon, VideoAnalytics } from "../../lib/contract/analytics-types";
import {
  authFile,
  createMemberThroughApi,
  expect,
  expectApiError,
  fixtureVideo,
  localOnly,
  test,
} from "./support";

// POST /api/beacons beyond the generic table of hostile-input.spec.ts: values no player
// sends, another member's view, a video the member cannot watch, a flood. Each gets its
// 4xx in the API's error format, is counted in reelgate_beacons_total, and leaves the
// video's analytics as they were.

test.describe.configure({ mode: "serial" });

const beacon = (over: Partial<PlaybackBeacon> = {}): PlaybackBeacon => ({
  viewId: randomUUID(),
  videoId: fixtureVideo().videoId,
  seq: 1,
  startupMs: 300,
  watchSeconds: 4,
  furthestSeconds: 4,
  rebufferCount: 0,
  rebufferSeconds: 0,
  errorCount: 0,
  renditions: { "720p": 4 },
  coverage: "1".repeat(10) + "0".repeat(90),
  ...over,
});

async function refusedCounts(admin: APIRequestContext): Promise<Record<string, number>> {
  const text = await (await admin.get("/api/admin/metrics")).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^reelgate_beacons_total\{outcome="(\w+)"\} (\d+)/gm))
    counts[m[1]!] = Number(m[2]);
  return counts;
}

test("beacons no player sends are refused, counted, and change nothing", async ({
  adminPage,
  playwright,
  baseURL,
}) => {
  localOnly("reads counters of this preview's API server");
  const admin = await playwright.request.newContext({ baseURL, storageState: authFile("admin") });
  const member = await playwright.request.newContext({ baseURL, storageState: authFile("member") });
  const anyone = await playwright.request.newContext({ baseURL });
  const stranger = await createMemberThroughApi(adminPage, "beacons");
  const strangerCtx = await playwright.request.newContext({ baseURL });
  const signIn = await strangerCtx.post("/api/auth/callback/credentials", {
    form: {
      email: stranger.email,
      password: stranger.password,
      csrfToken: ((await (await strangerCtx.get("/api/auth/csrf")).json()) as { csrfToken: string })
        .csrfToken,
    },
  });
  expect(signIn.status()).toBeLessThan(400);

  // A view of the member's own, so that "another member's view" has a target.
  const own = beacon();
  expect((await member.post("/api/beacons", { data: own })).status()).toBe(204);
  const analyticsUrl = `/api/admin/analytics/videos/${fixtureVideo().videoId}`;
  const before = (await (await admin.get(analyticsUrl)).json()) as VideoAnalytics;
  const countsBefore = await refusedCounts(admin);

  const cases: [string, APIRequestContext, unknown, number][] = [
    ["coverage of 99 bins", member, beacon({ coverage: "1".repeat(99) }), 400],
    ["coverage that is not bits", member, beacon({ coverage: "2".repeat(100) }), 400],
    ["a negative watch time", member, beacon({ watchSeconds: -5 }), 400],
    ["a watch time over a day", member, beacon({ watchSeconds: 90_000 }), 400],
    ["a startup of 1.5 ms", member, beacon({ startupMs: 1.5 }), 400],
    ["a rendition that is not a height", member, beacon({ renditions: { "<b>": 1 } }), 400],
    [
      "13 renditions",
      member,
      beacon({
        renditions: Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`${100 + i}p`, 1])),
      }),
      400,
    ],
    ["an error code with spaces", member, beacon({ lastError: "a b" }), 400],
    ["a view id that is not a UUID", member, beacon({ viewId: "1" }), 400],
    ["another member's view", strangerCtx, { ...own, seq: 2, watchSeconds: 999 }, 409],
    ["a video that does not exist", member, beacon({ videoId: "nosuchvideo1" }), 404],
    ["no session", anyone, beacon(), 401],
  ];
  for (const [what, ctx, data, status] of cases) {
    const res = await ctx.post("/api/beacons", { data });
    await expectApiError(res, status);
    expect(res.status(), what).toBe(status);
  }

  const after = (await (await admin.get(analyticsUrl)).json()) as VideoAnalytics;
  expect(after.views).toBe(before.views);
  expect(after.watchSeconds).toBe(before.watchSeconds);
  const countsAfter = await refusedCounts(admin);
  expect((countsAfter.invalid ?? 0) - (countsBefore.invalid ?? 0)).toBe(9);
  expect((countsAfter.conflict ?? 0) - (countsBefore.conflict ?? 0)).toBe(1);
  expect((countsAfter.unknown_video ?? 0) - (countsBefore.unknown_video ?? 0)).toBe(1);
  for (const c of [admin, member, anyone, strangerCtx]) await c.dispose();
});

test("a flood of beacons gets 429 with Retry-After, and what it carried is not kept", async ({
  adminPage,
  playwright,
  baseURL,
}) => {
  localOnly("BEACON_RATE_PER_MINUTE is the preview's default (30)");
  const flooder = await createMemberThroughApi(adminPage, "flood");
  const ctx = await playwright.request.newContext({ baseURL });
  const csrf = ((await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string })
    .csrfToken;
  await ctx.post("/api/auth/callback/credentials", {
    form: { email: flooder.email, password: flooder.password, csrfToken: csrf },
  });
  const admin = await playwright.request.newContext({ baseURL, storageState: authFile("admin") });
  const analyticsUrl = `/api/admin/analytics/videos/${fixtureVideo().videoId}`;
  const before = (await (await admin.get(analyticsUrl)).json()) as VideoAnalytics;

  // The same beacon again and again: only the first changes anything, until the limit.
  const first = beacon({ watchSeconds: 2, furthestSeconds: 2 });
  const statuses: number[] = [];
  const started = Date.now();
  for (let i = 0; i < 40; i++)
    statuses.push((await ctx.post("/api/beacons", { data: first })).status());
  // The bucket holds 30 and refills at 30 a minute: a slow machine earns one more now and then.
  const refilled = Math.ceil(((Date.now() - started) / 60_000) * 30);
  const accepted = statuses.filter((s) => s === 204).length;
  expect(statuses.indexOf(429), statuses.join(",")).toBeGreaterThanOrEqual(25);
  expect(accepted, statuses.join(",")).toBeLessThanOrEqual(30 + refilled);
  expect(
    statuses.every((s) => s === 204 || s === 429),
    statuses.join(","),
  ).toBe(true);
  // Refused while limited: a later beacon of the view that would add 500 s.
  const late = await ctx.post("/api/beacons", { data: { ...first, seq: 2, watchSeconds: 500 } });
  await expectApiError(late, 429);
  expect(Number(late.headers()["retry-after"])).toBeGreaterThan(0);

  const after = (await (await admin.get(analyticsUrl)).json()) as VideoAnalytics;
  // One view of 2 s more, whatever other specs played meanwhile stays under the 500 s.
  expect(after.views).toBeGreaterThanOrEqual(before.views + 1);
  expect(after.watchSeconds - before.watchSeconds).toBeLessThan(400);
  const text = await (await admin.get("/api/admin/metrics")).text();
  expect(text).toMatch(/^reelgate_beacons_total\{outcome="rate_limited"\} \d+/m);
  await ctx.dispose();
  await admin.dispose();
});
