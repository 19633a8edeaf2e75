import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { playbackViews } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { ZodError } from "zod";
import { AppError } from "@/lib/errors";
import { readJson } from "@/lib/api/read-json";
import type { Viewer } from "@/lib/access";
import { getCatalogVideo } from "@/lib/videos/catalog";
import { apiMetrics } from "@/lib/observability/api-metrics";
import { BEACON_MAX_BYTES } from "@/lib/contract/analytics-types";
import { beaconSchema, type BeaconInput } from "./schemas";
import { createRateLimiter } from "./rate-limit";

const shared = globalThis as { __reelgateBeaconLimiter?: ReturnType<typeof createRateLimiter> };
const limiter = () =>
  (shared.__reelgateBeaconLimiter ??= createRateLimiter({
    perMinute: env().BEACON_RATE_PER_MINUTE,
  }));

/**
 * A body that is JSON but not a beacon: 400, the beacon contract (other routes say 422).
 * Told apart by its own field: AppError's `instanceof` is by brand, so it holds for
 * every AppError and cannot tell subclasses apart.
 */
class InvalidBeacon extends AppError {
  readonly notABeacon = true;
  constructor(message: string) {
    super("bad_request", `Not a playback beacon: ${message}`);
  }
}

/**
 * The request's beacon. A wrong shape, type or value, or a NUL in a string, is an
 * InvalidBeacon (400): a player bug or a forged beacon, counted as `invalid`.
 */
async function readBeacon(req: Request): Promise<BeaconInput> {
  try {
    return await readJson(req, beaconSchema, { maxBytes: BEACON_MAX_BYTES });
  } catch (err) {
    if (err instanceof ZodError) {
      const first = err.issues[0];
      throw new InvalidBeacon(
        first ? `${first.path.join(".") || "body"}: ${first.message}` : "invalid",
      );
    }
    if (err instanceof AppError && err.code === "unprocessable") {
      throw new InvalidBeacon(err.message);
    }
    throw err;
  }
}

/** The `outcome` label of a refused beacon, by the error that refused it. */
function outcomeOf(err: unknown): string {
  if (err instanceof AppError && "notABeacon" in err) return "invalid";
  if (err instanceof AppError) {
    const byCode: Partial<Record<string, string>> = {
      bad_request: "malformed",
      payload_too_large: "too_large",
      unsupported_media_type: "wrong_type",
      unprocessable: "invalid",
      not_found: "unknown_video",
      rate_limited: "rate_limited",
      conflict: "conflict",
    };
    return byCode[err.code] ?? err.code;
  }
  return err instanceof Error && err.name === "ZodError" ? "invalid" : "error";
}

/**
 * Stores one beacon of `userId` (POST /api/beacons). Refusals, each counted by reason in
 * reelgate_beacons_total: 413 over BEACON_MAX_BYTES, 415 or 400 for a body that is not
 * a beacon, 404 for a video the member cannot watch, 429 past BEACON_RATE_PER_MINUTE or
 * BEACON_MAX_VIEWS_PER_DAY new views, 409 for a view id that is another member's.
 */
export async function recordBeacon(req: Request, viewer: Viewer): Promise<void> {
  const metrics = apiMetrics();
  const userId = viewer.id;
  try {
    const beacon = await readBeacon(req);
    if (!limiter().take(userId)) {
      throw new AppError("rate_limited", "Too many playback beacons; slow down.", {
        "retry-after": String(limiter().retryAfter(userId)),
      });
    }
    // Only a video the member may watch now (lib/access): 404 otherwise, as for its record.
    const video = await getCatalogVideo(viewer, beacon.videoId);
    await store(beacon, userId, video.durationSeconds);
    metrics.beacons.inc({ outcome: "accepted" });
  } catch (err) {
    metrics.beacons.inc({ outcome: outcomeOf(err) });
    throw err;
  }
}

async function store(beacon: BeaconInput, userId: string, duration: number | null): Promise<void> {
  const db = await getDb();
  const [existing] = await db
    .select({ userId: playbackViews.userId, videoId: playbackViews.videoId })
    .from(playbackViews)
    .where(eq(playbackViews.id, beacon.viewId));
  if (existing && (existing.userId !== userId || existing.videoId !== beacon.videoId)) {
    throw new AppError("conflict", "This view id belongs to another view.");
  }
  if (!existing) {
    const [today] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(playbackViews)
      .where(and(eq(playbackViews.userId, userId), sql`${playbackViews.day} = current_date`));
    if (Number(today?.n ?? 0) >= env().BEACON_MAX_VIEWS_PER_DAY) {
      throw new AppError("rate_limited", "Too many views today.", { "retry-after": "3600" });
    }
  }
  // A player's position cannot pass the end of the video (a lying client's cannot either).
  const furthest = duration ? Math.min(beacon.furthestSeconds, duration) : beacon.furthestSeconds;
  const values = {
    id: beacon.viewId,
    videoId: beacon.videoId,
    userId,
    day: sql`current_date`,
    seq: beacon.seq,
    startupMs: beacon.startupMs ?? null,
    watchSeconds: beacon.watchSeconds,
    furthestSeconds: furthest,
    rebufferCount: beacon.rebufferCount,
    rebufferSeconds: beacon.rebufferSeconds,
    errorCount: beacon.errorCount,
    lastError: beacon.lastError ?? null,
    renditions: beacon.renditions,
    coverage: beacon.coverage,
  };
  // The newest beacon (highest seq) holds the view's totals; coverage only grows. The
  // WHERE keeps a view to its own member and video even if two first beacons race.
  const newer = (column: string) =>
    sql.raw(
      `case when excluded.seq > playback_views.seq then excluded.${column} else playback_views.${column} end`,
    );
  await db
    .insert(playbackViews)
    .values(values)
    .onConflictDoUpdate({
      target: playbackViews.id,
      set: {
        startupMs: sql`coalesce(${newer("startup_ms")}, playback_views.startup_ms)`,
        watchSeconds: newer("watch_seconds"),
        furthestSeconds: sql`greatest(playback_views.furthest_seconds, excluded.furthest_seconds)`,
        rebufferCount: newer("rebuffer_count"),
        rebufferSeconds: newer("rebuffer_seconds"),
        errorCount: newer("error_count"),
        lastError: newer("last_error"),
        renditions: newer("renditions"),
        coverage: sql`playback_views.coverage | excluded.coverage`,
        seq: sql`greatest(playback_views.seq, excluded.seq)`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`playback_views.user_id = excluded.user_id and playback_views.video_id = excluded.video_id`,
    });
}

/** Deletes views older than ANALYTICS_RETENTION_DAYS; returns how many. */
export async function pruneViews(): Promise<number> {
  const db = await getDb();
  const days = env().ANALYTICS_RETENTION_DAYS;
  const gone = await db
    .delete(playbackViews)
    .where(sql`${playbackViews.day} < current_date - ${days}::int`)
    .returning({ id: playbackViews.id });
  return gone.length;
}
