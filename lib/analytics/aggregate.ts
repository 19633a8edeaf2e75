import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import {
  COVERAGE_BINS,
  type AnalyticsSummary,
  type DailyFigures,
  type StartupFigures,
  type VideoAnalytics,
  type VideoAnalyticsRow,
} from "@/lib/contract/analytics-types";

// Every figure is computed in SQL over the views of the window, grouped per video and
// per day; one dialect for PGlite and Postgres.

type Row = Record<string, unknown>;

async function rows(query: SQL): Promise<Row[]> {
  const db = await getDb();
  return ((await db.execute(query)) as { rows: Row[] }).rows;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The first day of the window: the last `days` days, today included. */
const since = (days: number): SQL => sql`current_date - ${days - 1}::int`;

// Mux's startup score is 8 / (8 + s) for a startup of s seconds, averaged over views.
const STARTUP_FIGURES = sql`
  percentile_cont(0.5) within group (order by startup_ms) as p50,
  percentile_cont(0.95) within group (order by startup_ms) as p95,
  avg(8.0 / (8.0 + startup_ms / 1000.0)) as score`;

const QUALITY_FIGURES = sql`
  coalesce(sum(rebuffer_seconds), 0) as rebuffer_seconds,
  coalesce(sum(watch_seconds), 0) as watch_seconds,
  coalesce(sum(rebuffer_count), 0) as rebuffer_count,
  count(*) filter (where error_count > 0) as errored,
  count(*) as views,
  count(distinct user_id) as members`;

function startupOf(row: Row | undefined): StartupFigures {
  const p50 = numOrNull(row?.p50);
  const p95 = numOrNull(row?.p95);
  const score = numOrNull(row?.score);
  return {
    p50Ms: p50 === null ? null : Math.round(p50),
    p95Ms: p95 === null ? null : Math.round(p95),
    score: score === null ? null : round(score),
  };
}

function ratios(row: Row | undefined): { rebufferRatio: number; errorRate: number } {
  const rebuffer = num(row?.rebuffer_seconds);
  const watched = num(row?.watch_seconds);
  const views = num(row?.views);
  return {
    rebufferRatio: rebuffer + watched > 0 ? round(rebuffer / (rebuffer + watched), 4) : 0,
    errorRate: views > 0 ? round(num(row?.errored) / views, 4) : 0,
  };
}

async function daily(days: number, videoId?: string): Promise<DailyFigures[]> {
  const from = since(days);
  const forVideo = videoId ? sql`and video_id = ${videoId}` : sql``;
  const found = await rows(sql`
    select to_char(d, 'YYYY-MM-DD') as day, count(v.id) as views,
      count(distinct v.user_id) as members, coalesce(sum(v.watch_seconds), 0) as watch_seconds
    from generate_series(${from}, current_date, interval '1 day') as d
    left join playback_views v on v.day = d::date ${forVideo}
    group by d order by d`);
  return found.map((r) => ({
    day: String(r.day),
    views: num(r.views),
    uniqueMembers: num(r.members),
    watchSeconds: round(num(r.watch_seconds), 1),
  }));
}

/** GET /api/admin/analytics: views and watch time per day, and per video. */
export async function analyticsSummary(days: number): Promise<AnalyticsSummary> {
  const from = since(days);
  const [totals] = await rows(sql`
    select count(*) as views, count(distinct user_id) as members,
      coalesce(sum(watch_seconds), 0) as watch_seconds
    from playback_views where day >= ${from}`);
  const perVideo = await rows(sql`
    select v.video_id, videos.title, ${QUALITY_FIGURES}, ${STARTUP_FIGURES}
    from playback_views v join videos on videos.id = v.video_id
    where v.day >= ${from}
    group by v.video_id, videos.title
    order by count(*) desc, v.video_id
    limit 200`);
  const videos: VideoAnalyticsRow[] = perVideo.map((r) => ({
    videoId: String(r.video_id),
    title: String(r.title),
    views: num(r.views),
    uniqueMembers: num(r.members),
    watchSeconds: round(num(r.watch_seconds), 1),
    startup: startupOf(r),
    ...ratios(r),
  }));
  const dailyFigures = await daily(days);
  return {
    from: dailyFigures[0]?.day ?? "",
    to: dailyFigures.at(-1)?.day ?? "",
    totals: {
      views: num(totals?.views),
      uniqueMembers: num(totals?.members),
      watchSeconds: round(num(totals?.watch_seconds), 1),
    },
    daily: dailyFigures,
    videos,
  };
}

/** GET /api/admin/analytics/videos/{id}: one video's audience and quality of experience. */
export async function videoAnalytics(videoId: string, days: number): Promise<VideoAnalytics> {
  const from = since(days);
  const [video] = await rows(
    sql`select id, title, duration_seconds from videos where id = ${videoId}`,
  );
  if (!video) throw new AppError("not_found", "No such video.");
  const duration = numOrNull(video.duration_seconds);
  const [figures] = await rows(sql`
    select ${QUALITY_FIGURES}, ${STARTUP_FIGURES},
      avg(least(1.0, watch_seconds / nullif(${duration ?? 0}::float8, 0))) as watch_share
    from playback_views where video_id = ${videoId} and day >= ${from}`);
  const bins = await rows(sql`
    select b as bin, count(*) filter (where get_bit(coverage, b) = 1) as n
    from playback_views, generate_series(0, ${COVERAGE_BINS - 1}) as b
    where video_id = ${videoId} and day >= ${from}
    group by b order by b`);
  const mix = await rows(sql`
    select r.key as rendition, sum(r.value::float8) as seconds
    from playback_views, jsonb_each_text(renditions) as r
    where video_id = ${videoId} and day >= ${from}
    group by r.key`);
  const views = num(figures?.views);
  const retention = Array.from({ length: COVERAGE_BINS }, () => 0);
  for (const b of bins) retention[num(b.bin)] = views > 0 ? round(num(b.n) / views, 4) : 0;
  const mixTotal = mix.reduce((sum, r) => sum + num(r.seconds), 0);
  const qualityMix = mix
    .map((r) => ({
      rendition: String(r.rendition),
      seconds: round(num(r.seconds), 1),
      share: mixTotal > 0 ? round(num(r.seconds) / mixTotal, 4) : 0,
    }))
    .sort((a, b) => Number.parseInt(b.rendition, 10) - Number.parseInt(a.rendition, 10));
  const dailyFigures = await daily(days, videoId);
  return {
    video: { id: String(video.id), title: String(video.title), durationSeconds: duration },
    from: dailyFigures[0]?.day ?? "",
    to: dailyFigures.at(-1)?.day ?? "",
    views,
    uniqueMembers: num(figures?.members),
    watchSeconds: round(num(figures?.watch_seconds), 1),
    averageWatchShare: round(num(figures?.watch_share), 4),
    retention,
    startup: startupOf(figures),
    ...ratios(figures),
    rebufferCount: num(figures?.rebuffer_count),
    qualityMix,
    daily: dailyFigures,
  };
}
