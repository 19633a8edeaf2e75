import "server-only";
import { and, desc, eq, ilike, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { videos, watchProgress } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { mediaUrl } from "./keys";
import type { VideoListResponse, VideoSummary } from "@/lib/client/types";

type VideoRow = typeof videos.$inferSelect;
type ProgressRow = typeof watchProgress.$inferSelect;

export function toSummary(row: VideoRow, progress: ProgressRow | null): VideoSummary {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    durationSeconds: row.durationSeconds,
    width: row.width,
    height: row.height,
    posterUrl: mediaUrl(row.posterKey),
    playlistUrl: mediaUrl(row.playlistKey) ?? "",
    captions: row.captions.map((c) => ({ lang: c.lang, label: c.label, url: `/${c.key}` })),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    progress: progress
      ? { positionSeconds: progress.positionSeconds, updatedAt: progress.updatedAt.toISOString() }
      : null,
  };
}

const visible = and(eq(videos.published, true), eq(videos.status, "ready"));

// ILIKE wildcards in the member's search text are literal characters.
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Published, ready videos, newest first, with the member's saved positions. */
export async function listCatalog(userId: string, q: string): Promise<VideoListResponse> {
  const db = await getDb();
  const rows = await db
    .select({ video: videos, progress: watchProgress })
    .from(videos)
    .leftJoin(
      watchProgress,
      and(eq(watchProgress.videoId, videos.id), eq(watchProgress.userId, userId)),
    )
    .where(q ? and(visible, ilike(videos.title, likePattern(q))) : visible)
    .orderBy(desc(videos.publishedAt), desc(videos.createdAt))
    .limit(500);
  const all = rows.map((r) => toSummary(r.video, r.progress));
  const continueWatching = rows
    .filter(
      (r) => r.progress && (r.video.durationSeconds ?? Infinity) - r.progress.positionSeconds > 10,
    )
    .sort((a, b) => b.progress!.updatedAt.getTime() - a.progress!.updatedAt.getTime())
    .slice(0, 12)
    .map((r) => toSummary(r.video, r.progress));
  return { videos: all, continueWatching };
}

export async function getCatalogVideo(userId: string, id: string): Promise<VideoSummary> {
  const db = await getDb();
  const [row] = await db
    .select({ video: videos, progress: watchProgress })
    .from(videos)
    .leftJoin(
      watchProgress,
      and(eq(watchProgress.videoId, videos.id), eq(watchProgress.userId, userId)),
    )
    .where(and(visible, eq(videos.id, id)));
  if (!row) throw new AppError("not_found", "No such video.");
  return toSummary(row.video, row.progress);
}

export async function saveProgress(
  userId: string,
  id: string,
  positionSeconds: number,
): Promise<void> {
  const db = await getDb();
  const [video] = await db
    .select({ id: videos.id })
    .from(videos)
    .where(and(visible, eq(videos.id, id)));
  if (!video) throw new AppError("not_found", "No such video.");
  await db
    .insert(watchProgress)
    .values({ userId, videoId: id, positionSeconds })
    .onConflictDoUpdate({
      target: [watchProgress.userId, watchProgress.videoId],
      set: { positionSeconds, updatedAt: sql`now()` },
    });
}
