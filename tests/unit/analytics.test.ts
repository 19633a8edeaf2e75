import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { count } from "drizzle-orm";
import { groups, playbackViews, videoGroups, videos } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import type { PlaybackBeacon } from "@/lib/contract/analytics-types";
import { testDatabase, useAsAppDatabase } from "./helpers/db";

// Beacons in, figures out, on the real database (PGlite, and Postgres with
// TEST_DATABASE_URL): the newest beacon of a view wins, coverage only grows, refusals
// store nothing, and the per-video and per-day figures are what the views say.

process.env.BEACON_RATE_PER_MINUTE = "5";
process.env.BEACON_MAX_VIEWS_PER_DAY = "3";
const { recordBeacon, analyticsSummary, videoAnalytics } = await import("@/lib/analytics");
const { createUser } = await import("@/lib/auth/users");
const { apiMetrics } = await import("@/lib/observability/api-metrics");

const VIDEO = "qoevideo01";

function beacon(over: Partial<PlaybackBeacon> = {}): PlaybackBeacon {
  return {
    viewId: randomUUID(),
    videoId: VIDEO,
    seq: 1,
    startupMs: 500,
    watchSeconds: 10,
    furthestSeconds: 10,
    rebufferCount: 0,
    rebufferSeconds: 0,
    errorCount: 0,
    renditions: { "720p": 10 },
    coverage: "1".repeat(10) + "0".repeat(90),
    ...over,
  };
}

const post = (body: unknown, type = "application/json") =>
  new Request("http://x/api/beacons", {
    method: "POST",
    headers: { "content-type": type },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

async function refusal(fn: Promise<unknown>): Promise<string> {
  try {
    await fn;
  } catch (err) {
    return (err as { code?: string; name?: string }).code ?? (err as Error).name;
  }
  throw new Error("not refused");
}

describe("playback analytics", () => {
  let database: Database;
  let restoreDb: () => void;
  // Members as the session gives them (lib/access's Viewer).
  type Member = { id: string; role: "member" };
  let alice: Member;
  let bob: Member;
  let carol: Member;

  const views = async () =>
    Number((await database.db.select({ n: count() }).from(playbackViews))[0]?.n);

  beforeAll(async () => {
    database = await testDatabase();
    restoreDb = useAsAppDatabase(database);
    await database.db.insert(videos).values([
      { id: VIDEO, title: "QoE", status: "ready", published: true, durationSeconds: 100 },
      { id: "hiddenvid1", title: "Hidden", status: "ready", published: false },
      { id: "staffvideo1", title: "Staff only", status: "ready", published: true },
    ]);
    // A video given to a group none of these members is in (lib/access).
    await database.db.insert(groups).values({ id: "staffgroup01", name: "Staff" });
    await database.db
      .insert(videoGroups)
      .values({ videoId: "staffvideo1", groupId: "staffgroup01" });
    const make = async (email: string) =>
      ({
        id: (await createUser({ email, role: "member", password: "member-password-1" })).id,
        role: "member",
      }) as const;
    alice = await make("alice@qoe.test");
    bob = await make("bob@qoe.test");
    carol = await make("carol@qoe.test");
  }, 60_000);

  afterAll(async () => {
    restoreDb();
    await database.close();
  });

  it("keeps the newest beacon of a view and grows its coverage", async () => {
    const first = beacon({ startupMs: 400, watchSeconds: 10 });
    await recordBeacon(post(first), alice);
    await recordBeacon(
      post({
        ...first,
        seq: 3,
        watchSeconds: 50,
        furthestSeconds: 50,
        renditions: { "720p": 30, "360p": 20 },
        coverage: "0".repeat(40) + "1".repeat(10) + "0".repeat(50),
        rebufferCount: 1,
        rebufferSeconds: 2,
      }),
      alice,
    );
    // An older beacon arriving late changes nothing but the coverage it adds.
    await recordBeacon(post({ ...first, seq: 2, watchSeconds: 20 }), alice);
    await recordBeacon(
      post(
        beacon({
          startupMs: 600,
          watchSeconds: 100,
          furthestSeconds: 100,
          renditions: { "720p": 100 },
          coverage: "1".repeat(100),
          errorCount: 1,
          lastError: "media-3",
        }),
      ),
      bob,
    );

    const figures = await videoAnalytics(VIDEO, 30);
    expect(figures).toMatchObject({
      views: 2,
      uniqueMembers: 2,
      watchSeconds: 150,
      averageWatchShare: 0.75,
      rebufferCount: 1,
      errorRate: 0.5,
      startup: { p50Ms: 500, p95Ms: 590 },
    });
    // Mux's score per view, averaged: 8/(8+0.4) and 8/(8+0.6).
    expect(figures.startup.score).toBeCloseTo((8 / 8.4 + 8 / 8.6) / 2, 3);
    expect(figures.rebufferRatio).toBeCloseTo(2 / 152, 4);
    // Alice played the first and the fifth tenth, Bob all of it.
    expect(figures.retention[0]).toBe(1);
    expect(figures.retention[45]).toBe(1);
    expect(figures.retention[20]).toBe(0.5);
    expect(figures.qualityMix).toEqual([
      { rendition: "720p", seconds: 130, share: 0.8667 },
      { rendition: "360p", seconds: 20, share: 0.1333 },
    ]);
    const summary = await analyticsSummary(7);
    expect(summary.daily).toHaveLength(7);
    expect(summary.daily.at(-1)).toMatchObject({ views: 2, uniqueMembers: 2, watchSeconds: 150 });
    expect(summary.totals).toEqual({ views: 2, uniqueMembers: 2, watchSeconds: 150 });
    expect(summary.videos).toEqual([
      expect.objectContaining({ videoId: VIDEO, views: 2, uniqueMembers: 2, watchSeconds: 150 }),
    ]);
  });

  it("refuses bad beacons, counts them, and stores nothing", async () => {
    const before = await views();
    const counted = async (outcome: string) =>
      (await apiMetrics().beacons.get()).values.find((v) => v.labels.outcome === outcome)?.value ??
      0;
    const invalidBefore = await counted("invalid");
    expect(await refusal(recordBeacon(post("{bad"), carol))).toBe("bad_request");
    expect(await refusal(recordBeacon(post(beacon(), "text/plain"), carol))).toBe(
      "unsupported_media_type",
    );
    expect(await refusal(recordBeacon(post({ ...beacon(), admin: true }), carol))).toBe(
      "bad_request",
    );
    expect(await refusal(recordBeacon(post(beacon({ coverage: "2".repeat(100) })), carol))).toBe(
      "bad_request",
    );
    expect(await refusal(recordBeacon(post(beacon({ watchSeconds: -1 })), carol))).toBe(
      "bad_request",
    );
    expect(await refusal(recordBeacon(post({ ...beacon(), pad: "x".repeat(20_000) }), carol))).toBe(
      "payload_too_large",
    );
    expect(await refusal(recordBeacon(post(beacon({ videoId: "hiddenvid1" })), carol))).toBe(
      "not_found",
    );
    expect(await refusal(recordBeacon(post(beacon({ videoId: "staffvideo1" })), carol))).toBe(
      "not_found",
    );
    expect(await counted("invalid")).toBe(invalidBefore + 3);
    expect(await views()).toBe(before);
  });

  it("keeps a view to its member, and limits beacons and new views", async () => {
    const own = beacon();
    await recordBeacon(post(own), carol);
    expect(await refusal(recordBeacon(post({ ...own, seq: 2 }), alice))).toBe("conflict");
    // BEACON_MAX_VIEWS_PER_DAY=3: a fourth new view of the day is refused.
    await recordBeacon(post(beacon()), carol);
    await recordBeacon(post(beacon()), carol);
    const before = await views();
    expect(await refusal(recordBeacon(post(beacon()), carol))).toBe("rate_limited");
    // BEACON_RATE_PER_MINUTE=5, counted from carol's first accepted beacon above.
    expect(await refusal(recordBeacon(post({ ...own, seq: 9 }), carol))).toBe("rate_limited");
    expect(await views()).toBe(before);
  });
});
