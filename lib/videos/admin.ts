import "server-only";
import { desc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { jobs, uploads, videos, type Caption } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { getStorage } from "@/lib/storage";
import { enqueueTranscode, wakeWorkers } from "@/lib/jobs";
import { groupIdsByVideo, setVideoGroups } from "@/lib/groups";
import { syncCatalogImagesAfter } from "@/lib/catalog-images";
import { mediaPrefix, mediaUrl, uploadPrefix } from "@/lib/storage/bucket-keys";
import type { AdminVideo } from "@/lib/contract/types";

type VideoRow = typeof videos.$inferSelect;
type JobRow = typeof jobs.$inferSelect;

function toAdminVideo(row: VideoRow, job: JobRow | undefined, groupIds: string[]): AdminVideo {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    published: row.published,
    durationSeconds: row.durationSeconds,
    error: row.error,
    posterUrl: mediaUrl(row.posterKey),
    captions: row.captions.map((c) => ({ lang: c.lang, label: c.label, url: `/${c.key}` })),
    groupIds,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    job: job
      ? {
          status: job.status,
          progress: job.progress,
          attempts: job.attempts,
          maxAttempts: job.maxAttempts,
          error: job.error,
        }
      : null,
  };
}

async function latestJobs(ids: string[]): Promise<Map<string, JobRow>> {
  const byVideo = new Map<string, JobRow>();
  if (ids.length === 0) return byVideo;
  const db = await getDb();
  const rows = await db
    .select()
    .from(jobs)
    .where(inArray(jobs.videoId, ids))
    .orderBy(desc(jobs.createdAt));
  for (const job of rows) if (!byVideo.has(job.videoId)) byVideo.set(job.videoId, job);
  return byVideo;
}

export async function listAdminVideos(): Promise<AdminVideo[]> {
  const db = await getDb();
  const rows = await db.select().from(videos).orderBy(desc(videos.createdAt)).limit(1000);
  const ids = rows.map((r) => r.id);
  const [jobsByVideo, groupsByVideo] = await Promise.all([latestJobs(ids), groupIdsByVideo(ids)]);
  return rows.map((r) => toAdminVideo(r, jobsByVideo.get(r.id), groupsByVideo.get(r.id) ?? []));
}

export async function getAdminVideo(id: string): Promise<AdminVideo> {
  const db = await getDb();
  const [row] = await db.select().from(videos).where(eq(videos.id, id));
  if (!row) throw new AppError("not_found", "No such video.");
  const [jobsByVideo, groupsByVideo] = await Promise.all([latestJobs([id]), groupIdsByVideo([id])]);
  return toAdminVideo(row, jobsByVideo.get(id), groupsByVideo.get(id) ?? []);
}

/**
 * Edits a video. `published: false` and a change of `groupIds` take access away at once:
 * no credential is issued for it from this moment (lib/access is read on every issue),
 * and the catalog images follow (catalog-images.ts).
 */
export async function updateVideo(
  id: string,
  patch: { title?: string; description?: string; published?: boolean; groupIds?: string[] },
): Promise<AdminVideo> {
  const { groupIds, ...fields } = patch;
  const db = await getDb();
  const [row] = await db.select().from(videos).where(eq(videos.id, id));
  if (!row) throw new AppError("not_found", "No such video.");
  if (fields.published === true && row.status !== "ready") {
    throw new AppError("conflict", "Only a video that is ready can be published.");
  }
  if (groupIds) await setVideoGroups(id, groupIds);
  if (Object.keys(fields).length > 0) {
    await db
      .update(videos)
      .set({
        ...fields,
        ...(fields.published === true && !row.published ? { publishedAt: sql`now()` } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(videos.id, id));
  }
  if (groupIds || fields.published !== undefined) await syncCatalogImagesAfter(id);
  return getAdminVideo(id);
}

/** A failed video gets a fresh job (its attempts start again). */
export async function retryVideo(id: string): Promise<AdminVideo> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(videos).where(eq(videos.id, id)).for("update");
    if (!row) throw new AppError("not_found", "No such video.");
    if (row.status !== "failed")
      throw new AppError("conflict", "Only a failed video can be retried.");
    const [upload] = await tx.select().from(uploads).where(eq(uploads.videoId, id));
    if (upload?.status !== "completed") {
      throw new AppError(
        "conflict",
        "The original was never uploaded completely; upload it again.",
      );
    }
    await tx
      .update(videos)
      .set({ status: "queued", error: null, updatedAt: sql`now()` })
      .where(eq(videos.id, id));
    await enqueueTranscode(tx, id, env().JOB_MAX_ATTEMPTS);
  });
  wakeWorkers();
  return getAdminVideo(id);
}

/** Deletes the video, its jobs and uploads (cascade), the original and all media. */
export async function deleteVideo(id: string): Promise<void> {
  const db = await getDb();
  const storage = getStorage();
  const [row] = await db.select().from(videos).where(eq(videos.id, id));
  if (!row) throw new AppError("not_found", "No such video.");
  const openUploads = await db.select().from(uploads).where(eq(uploads.videoId, id));
  // Rows first: from here on members cannot see it and a worker holding its job
  // loses the lease; then the objects, so a failure leaves no reachable video.
  await db.delete(videos).where(eq(videos.id, id));
  for (const upload of openUploads) {
    if (upload.status === "open")
      await storage.abortMultipart(upload.storageKey, upload.multipartId).catch(() => {});
  }
  await syncCatalogImagesAfter(id);
  await storage.deletePrefix(uploadPrefix(id));
  await storage.deletePrefix(mediaPrefix(id));
}

/** Largest caption file accepted. */
export const MAX_VTT_BYTES = 2 * 1024 * 1024;

/** Stores a WebVTT file as media/videos/{id}/captions/{lang}.vtt and lists it on the video. */
export async function putCaptions(
  id: string,
  lang: string,
  body: string,
  label?: string,
): Promise<AdminVideo> {
  if (Buffer.byteLength(body) > MAX_VTT_BYTES)
    throw new AppError("payload_too_large", "Caption files are limited to 2 MB.");
  if (!/^\uFEFF?WEBVTT(?:[ \t].*)?(?:\r?\n|$)/.test(body)) {
    throw new AppError("unprocessable", "This is not a WebVTT file (it must start with WEBVTT).");
  }
  const db = await getDb();
  const [row] = await db.select().from(videos).where(eq(videos.id, id));
  if (!row) throw new AppError("not_found", "No such video.");
  const key = `${mediaPrefix(id)}captions/${lang}.vtt`;
  await getStorage().put(key, body, { contentType: "text/vtt; charset=utf-8" });
  const display = label ?? new Intl.DisplayNames(["en"], { type: "language" }).of(lang) ?? lang;
  const captions: Caption[] = [
    ...row.captions.filter((c) => c.lang !== lang),
    { lang, label: display, key },
  ];
  await db
    .update(videos)
    .set({ captions, updatedAt: sql`now()` })
    .where(eq(videos.id, id));
  return getAdminVideo(id);
}
