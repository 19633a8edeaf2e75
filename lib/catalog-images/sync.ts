import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/lib/db";
import { groups, videoGroups, videos } from "@/lib/db/schema";
import { messageOf } from "@/lib/errors";
import { getLogger } from "@/lib/observability/logger";
import { getStorage, type Storage } from "@/lib/storage";
import { ALL_MEMBERS, catalogImageKey } from "@/lib/storage/bucket-keys";

/**
 * Catalog images may be cached by browsers for a few minutes, not for ever: a copy is
 * removed when its video is unpublished or regrouped.
 */
export const CATALOG_IMAGE_CACHE_CONTROL = "private, max-age=300";

type VideoState = Pick<typeof videos.$inferSelect, "id" | "published" | "status" | "posterKey">;

/** The catalog folders a video's image belongs in now: none unless published and ready. */
export function wantedAudiences(video: VideoState, groupIds: readonly string[]): string[] {
  if (!video.published || video.status !== "ready" || !video.posterKey) return [];
  return groupIds.length > 0 ? [...groupIds] : [ALL_MEMBERS];
}

/** Where to sync: the process's database and bucket unless given (the worker passes its own). */
export interface SyncTargets {
  db?: Db;
  storage?: Storage;
}

/**
 * Puts the video's poster in exactly the catalog folders it belongs in (copies from its
 * own folder) and takes it out of every other: call after anything that changes who may
 * see the video (publish, unpublish, groups, transcode done, delete). Idempotent.
 * Removals go first: a failure half-way leaves the image out of a folder rather than in
 * one it should not be in.
 */
export async function syncCatalogImages(videoId: string, targets: SyncTargets = {}): Promise<void> {
  const db = targets.db ?? (await getDb());
  const storage = targets.storage ?? getStorage();
  const [video] = await db
    .select({
      id: videos.id,
      published: videos.published,
      status: videos.status,
      posterKey: videos.posterKey,
    })
    .from(videos)
    .where(eq(videos.id, videoId));
  const videoGroupIds = (
    await db
      .select({ id: videoGroups.groupId })
      .from(videoGroups)
      .where(eq(videoGroups.videoId, videoId))
  ).map((r) => r.id);
  const wanted = video ? wantedAudiences(video, videoGroupIds) : [];
  const every = (await db.select({ id: groups.id }).from(groups)).map((r) => r.id);
  for (const audience of [ALL_MEMBERS, ...every]) {
    if (!wanted.includes(audience)) await storage.deletePrefix(catalogImageKey(audience, videoId));
  }
  if (!video?.posterKey || wanted.length === 0) return;
  const source = await storage.head(video.posterKey);
  for (const audience of wanted) {
    const key = catalogImageKey(audience, videoId);
    // The same bytes already there (a transcode again writes a new poster: copy it).
    const copy = await storage.head(key);
    if (copy && source?.etag && copy.etag === source.etag) continue;
    const { body } = await storage.getStream(video.posterKey);
    await storage.put(key, body, {
      contentType: "image/jpeg",
      cacheControl: CATALOG_IMAGE_CACHE_CONTROL,
    });
  }
}

/**
 * {@link syncCatalogImages} for callers that have already committed their change: a
 * failure is logged, not thrown (the change stands; `npm run check` reports the image
 * as missing or stray until the next sync puts it right).
 */
export async function syncCatalogImagesAfter(
  videoId: string,
  targets: SyncTargets = {},
): Promise<void> {
  try {
    await syncCatalogImages(videoId, targets);
  } catch (err) {
    getLogger("catalog").error(`could not sync the images of video ${videoId}: ${messageOf(err)}`);
  }
}

/** Every video's images (the one-off move to media/posters/, and `npm run check -- --fix`). */
export async function syncAllCatalogImages(targets: SyncTargets = {}): Promise<number> {
  const db = targets.db ?? (await getDb());
  const rows = await db.select({ id: videos.id }).from(videos);
  for (const row of rows) await syncCatalogImages(row.id, { ...targets, db });
  return rows.length;
}
