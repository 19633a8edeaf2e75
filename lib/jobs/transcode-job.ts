import "server-only";
import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { jobs, uploads, videos } from "@/lib/db/schema";
import type { Storage } from "@/lib/storage";
import { MediaError, transcode } from "@/lib/media";
import { syncCatalogImagesAfter } from "@/lib/catalog-images";
import { mediaPrefix } from "@/lib/storage/bucket-keys";
import { heartbeat, type Job } from "./queue";
import { workDirFor } from "./work-dirs";

export interface JobContext {
  db: Db;
  storage: Storage;
  workerId: string;
  leaseSeconds: number;
  signal: AbortSignal;
  /** Where attempts make their work folders (see work-dirs.ts). */
  workRoot: string;
}

/** The job no longer belongs to this worker (lease lost, video deleted). */
export class LeaseLost extends Error {}

/**
 * One attempt at transcoding a video: original from storage to a temp folder,
 * ffmpeg ladder + poster, outputs to `media/videos/{id}/`, then the video is
 * marked ready in the same transaction that completes the job, and only if this
 * worker still holds the lease. Another worker that took the job over writes the
 * same keys, so a takeover never leaves two sets of media.
 */
export async function runTranscodeJob(job: Job, ctx: JobContext): Promise<void> {
  const { db, storage, workerId, leaseSeconds } = ctx;
  const [upload] = await db.select().from(uploads).where(eq(uploads.videoId, job.videoId));
  if (!upload || upload.status !== "completed")
    throw new MediaError("invalid_input", "The upload of this video is not complete.");
  await db
    .update(videos)
    .set({ status: "processing", error: null, updatedAt: sql`now()` })
    .where(eq(videos.id, job.videoId));

  // One folder per attempt, named after it, so that a sweep can find it once the
  // attempt is dead (killed worker); a leftover of the same name is stale.
  const work = workDirFor(ctx.workRoot, job);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  ctx.signal.addEventListener("abort", onOuterAbort);
  let lost = false;
  let lastBeat = 0;
  let beating: Promise<void> = Promise.resolve();
  const beat = (percent: number, force = false) => {
    const now = Date.now();
    if (!force && now - lastBeat < 2000) return;
    lastBeat = now;
    beating = beating.then(async () => {
      const ours = await heartbeat(db, job.id, workerId, percent, leaseSeconds).catch(() => true);
      if (!ours) {
        lost = true;
        abort.abort();
      }
    });
  };
  // The lease is renewed even when ffmpeg reports nothing for a while (probe, upload).
  let progress = 0;
  const timer = setInterval(() => beat(progress, true), Math.max(1000, (leaseSeconds * 1000) / 3));
  try {
    const input = path.join(work, "original");
    await storage.downloadToFile(upload.storageKey, input);
    const outDir = path.join(work, "out");
    const result = await transcode({
      input,
      outDir,
      signal: abort.signal,
      onProgress: (percent) => {
        progress = Math.min(99, percent * 0.95);
        beat(progress);
      },
    });
    if (lost) throw new LeaseLost("lease lost");

    // Replace any earlier attempt's output; captions are kept.
    const prefix = mediaPrefix(job.videoId);
    await storage.deletePrefix(`${prefix}hls/`);
    const files = await listFiles(outDir);
    // The master playlist goes last: until it exists nothing can start playing a
    // half-uploaded ladder.
    files.sort((a, b) => Number(a.endsWith("master.m3u8")) - Number(b.endsWith("master.m3u8")));
    for (const rel of files) {
      if (abort.signal.aborted) throw new LeaseLost("lease lost");
      await storage.putFile(`${prefix}${rel}`, path.join(outDir, rel));
    }
    await beating;
    if (lost) throw new LeaseLost("lease lost");

    const done = await db.transaction(async (tx) => {
      const [owned] = await tx
        .update(jobs)
        .set({
          status: "succeeded",
          progress: 100,
          error: null,
          lockedBy: null,
          leaseExpiresAt: null,
          finishedAt: sql`now()`,
          updatedAt: sql`now()`,
        })
        .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), eq(jobs.status, "running")))
        .returning({ id: jobs.id });
      if (!owned) return false;
      await tx
        .update(videos)
        .set({
          status: "ready",
          error: null,
          durationSeconds: result.probe.durationSeconds,
          width: result.probe.video.width,
          height: result.probe.video.height,
          sourceBytes: result.probe.sizeBytes,
          renditions: result.renditions,
          playlistKey: `${prefix}${result.masterPlaylist}`,
          posterKey: `${prefix}${result.poster}`,
          updatedAt: sql`now()`,
        })
        .where(eq(videos.id, job.videoId));
      return true;
    });
    if (!done) throw new LeaseLost("lease lost");
    await removeIfDeleted(db, storage, job.videoId);
    // A published video transcoded again gets its new poster into the catalog folders.
    await syncCatalogImagesAfter(job.videoId, { db, storage });
  } catch (err) {
    // Deleted while we worked: the delete removed the prefix, maybe before some of our
    // uploads (the heartbeat notices a deleted job only at its next beat).
    await removeIfDeleted(db, storage, job.videoId).catch(() => {});
    throw err;
  } finally {
    clearInterval(timer);
    ctx.signal.removeEventListener("abort", onOuterAbort);
    await beating.catch(() => {});
    await rm(work, { recursive: true, force: true });
  }
}

/** Deletes the video's media folder if the video no longer exists. */
async function removeIfDeleted(db: Db, storage: Storage, videoId: string): Promise<void> {
  const [still] = await db.select({ id: videos.id }).from(videos).where(eq(videos.id, videoId));
  if (!still) await storage.deletePrefix(mediaPrefix(videoId));
}

async function listFiles(dir: string, base = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}
