import "server-only";
import { and, desc, eq, ilike, sql } from "drizzle-orm";
import { listedFor, watchableBy, type Viewer } from "@/lib/access";
import { getDb } from "@/lib/db";
import { groupMembers, videoGroups, videos, watchProgress } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { ALL_MEMBERS, catalogImageKey, mediaUrl } from "@/lib/storage/bucket-keys";
import type { VideoListResponse, VideoSummary } from "@/lib/contract/types";

type VideoRow = typeof videos.$inferSelect;
type ProgressRow = typeof watchProgress.$inferSelect;

/**
 * The summary of a video. `posterUrl` is where this viewer's credential reaches it: in a
 * list, the catalog image (`audience`: the folder of a group the member shares with the
 * video, or every member's; admins, who hold /media/*, get the video's own poster); for
 * the video record (`audience` undefined), the poster in the video's folder, which the
 * watch page's playback cookies open.
 */
export function toSummary(
  row: VideoRow,
  progress: ProgressRow | null,
  audience?: string | null,
): VideoSummary {
  const poster =
    audience === undefined || row.posterKey === null
      ? row.posterKey
      : catalogImageKey(audience ?? ALL_MEMBERS, row.id);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    durationSeconds: row.durationSeconds,
    width: row.width,
    height: row.height,
    posterUrl: mediaUrl(poster),
    playlistUrl: mediaUrl(row.playlistKey) ?? "",
    captions: row.captions.map((c) => ({ lang: c.lang, label: c.label, url: `/${c.key}` })),
    publishedAt: row.publishedAt?.toISOString() ?? null,
    progress: progress
      ? { positionSeconds: progress.positionSeconds, updatedAt: progress.updatedAt.toISOString() }
      : null,
  };
}

/** The catalog folder a member reaches this video's image through (null: every member's). */
function audienceFor(viewer: Viewer) {
  return sql<string | null>`(select ${videoGroups.groupId} from ${videoGroups}
    inner join ${groupMembers} on ${groupMembers.groupId} = ${videoGroups.groupId}
    where ${videoGroups.videoId} = ${videos.id} and ${groupMembers.userId} = ${viewer.id}
    order by ${videoGroups.groupId} limit 1)`;
}

// ILIKE wildcards in the member's search text are literal characters.
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Published, ready videos open to the viewer (lib/access), newest first, with the
 * member's saved positions.
 */
export async function listCatalog(viewer: Viewer, q: string): Promise<VideoListResponse> {
  const db = await getDb();
  const visible = listedFor(viewer);
  const rows = await db
    .select({
      video: videos,
      progress: watchProgress,
      audience: viewer.role === "admin" ? sql<null>`null` : audienceFor(viewer),
    })
    .from(videos)
    .leftJoin(
      watchProgress,
      and(eq(watchProgress.videoId, videos.id), eq(watchProgress.userId, viewer.id)),
    )
    .where(q ? and(visible, ilike(videos.title, likePattern(q))) : visible)
    .orderBy(desc(videos.publishedAt), desc(videos.createdAt))
    .limit(500);
  // Admins hold the /media/* credential: their images come from the videos' folders.
  const audienceOf = (r: (typeof rows)[number]) =>
    viewer.role === "admin" ? undefined : r.audience;
  const all = rows.map((r) => toSummary(r.video, r.progress, audienceOf(r)));
  const continueWatching = rows
    .filter(
      (r) => r.progress && (r.video.durationSeconds ?? Infinity) - r.progress.positionSeconds > 10,
    )
    .sort((a, b) => b.progress!.updatedAt.getTime() - a.progress!.updatedAt.getTime())
    .slice(0, 12)
    .map((r) => toSummary(r.video, r.progress, audienceOf(r)));
  return { videos: all, continueWatching };
}

/** One video the viewer may watch now (admins: drafts too, to preview them). */
export async function getCatalogVideo(viewer: Viewer, id: string): Promise<VideoSummary> {
  const db = await getDb();
  const [row] = await db
    .select({ video: videos, progress: watchProgress })
    .from(videos)
    .leftJoin(
      watchProgress,
      and(eq(watchProgress.videoId, videos.id), eq(watchProgress.userId, viewer.id)),
    )
    .where(and(watchableBy(viewer), eq(videos.id, id)));
  if (!row) throw new AppError("not_found", "No such video.");
  return toSummary(row.video, row.progress);
}

export async function saveProgress(
  viewer: Viewer,
  id: string,
  positionSeconds: number,
): Promise<void> {
  const db = await getDb();
  const [video] = await db
    .select({ id: videos.id })
    .from(videos)
    .where(and(watchableBy(viewer), eq(videos.id, id)));
  if (!video) throw new AppError("not_found", "No such video.");
  await db
    .insert(watchProgress)
    .values({ userId: viewer.id, videoId: id, positionSeconds })
    .onConflictDoUpdate({
      target: [watchProgress.userId, watchProgress.videoId],
      set: { positionSeconds, updatedAt: sql`now()` },
    });
}
