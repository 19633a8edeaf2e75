import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { uploads, videos } from "@/lib/db/schema";
import { AppError, messageOf } from "@/lib/errors";
import { env } from "@/lib/env";
import { getStorage } from "@/lib/storage";
import { MediaError, checkEnd, checkLimits, probe } from "@/lib/media";
import { enqueueTranscode, wakeWorkers } from "@/lib/jobs";
import { newId, originalKey, uploadPrefix } from "@/lib/storage/bucket-keys";
import { deleteVideo } from "@/lib/videos/admin";
import { checkFile, partSizeFor } from "./schemas";
import type { PartUrlsResponse, UploadState } from "@/lib/contract/types";

type UploadRow = typeof uploads.$inferSelect;

async function loadUpload(id: string): Promise<UploadRow> {
  const db = await getDb();
  const [row] = await db.select().from(uploads).where(eq(uploads.id, id));
  if (!row) throw new AppError("not_found", "No such upload.");
  return row;
}

function partCount(row: Pick<UploadRow, "sizeBytes" | "partSize">): number {
  return Math.max(1, Math.ceil(row.sizeBytes / row.partSize));
}

/** The exact size of part `partNumber`: every part is `partSize` but the last. */
function partBytes(row: Pick<UploadRow, "sizeBytes" | "partSize">, partNumber: number): number {
  const count = partCount(row);
  return partNumber < count ? row.partSize : row.sizeBytes - row.partSize * (count - 1);
}

async function toState(row: UploadRow): Promise<UploadState> {
  // A part of the wrong size is refused when it arrives, but the store keeps it (S3
  // takes any size): it is not reported as uploaded, so a resume sends it again.
  const uploadedParts =
    row.status === "open"
      ? (await getStorage().listParts(row.storageKey, row.multipartId)).filter(
          (p) => p.size === partBytes(row, p.partNumber),
        )
      : [];
  return {
    id: row.id,
    videoId: row.videoId,
    fileName: row.fileName,
    sizeBytes: row.sizeBytes,
    partSize: row.partSize,
    partCount: partCount(row),
    status: row.status,
    uploadedParts,
  };
}

/** Starts an upload: a video record (status uploading), a multipart upload, an upload record. */
export async function createUpload(
  userId: string,
  input: {
    fileName: string;
    contentType: string;
    sizeBytes: number;
    title: string;
    description: string;
  },
): Promise<UploadState> {
  const config = env();
  const ext = checkFile(input, config.UPLOAD_MAX_BYTES);
  const videoId = newId();
  const key = originalKey(videoId, ext);
  const contentType = input.contentType || "application/octet-stream";
  const storage = getStorage();
  const { multipartId } = await storage.createMultipart(key, contentType);
  const db = await getDb();
  try {
    const row = await db.transaction(async (tx) => {
      await tx.insert(videos).values({
        id: videoId,
        title: input.title,
        description: input.description,
        status: "uploading",
        sourceBytes: input.sizeBytes,
        createdBy: userId,
      });
      const [upload] = await tx
        .insert(uploads)
        .values({
          id: newId(16),
          videoId,
          storageKey: key,
          multipartId,
          fileName: input.fileName.slice(0, 255),
          contentType,
          sizeBytes: input.sizeBytes,
          partSize: partSizeFor(input.sizeBytes, config.UPLOAD_PART_BYTES),
          createdBy: userId,
        })
        .returning();
      return upload!;
    });
    return await toState(row);
  } catch (err) {
    await storage.abortMultipart(key, multipartId).catch(() => {});
    throw err;
  }
}

export async function getUploadState(id: string): Promise<UploadState> {
  return toState(await loadUpload(id));
}

export async function partUrls(id: string, partNumbers: number[]): Promise<PartUrlsResponse> {
  const row = await loadUpload(id);
  if (row.status !== "open") throw new AppError("conflict", `This upload is ${row.status}.`);
  const count = partCount(row);
  const storage = getStorage();
  const parts = [];
  for (const partNumber of partNumbers) {
    if (partNumber > count)
      throw new AppError(
        "unprocessable",
        `This upload has ${count} parts; there is no part ${partNumber}.`,
      );
    const signed = await storage.partUrl({
      key: row.storageKey,
      multipartId: row.multipartId,
      partNumber,
      uploadId: row.id,
    });
    parts.push({ partNumber, ...signed });
  }
  return { parts };
}

/** Local storage only: the body of one part, PUT to the URL partUrls() gave. */
export async function receivePart(
  id: string,
  partNumber: number,
  body: ReadableStream<Uint8Array> | null,
): Promise<{ etag: string; size: number }> {
  const storage = getStorage();
  if (!storage.receivePart)
    throw new AppError("not_found", "Parts go straight to the bucket in this deployment.");
  const row = await loadUpload(id);
  if (row.status !== "open") throw new AppError("conflict", `This upload is ${row.status}.`);
  const count = partCount(row);
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > count) {
    throw new AppError("unprocessable", `This upload has parts 1 to ${count}.`);
  }
  if (!body) throw new AppError("bad_request", "The part has no body.");
  const expected = partBytes(row, partNumber);
  const result = await storage.receivePart(
    row.storageKey,
    row.multipartId,
    partNumber,
    body,
    expected,
  );
  if (result.size !== expected) {
    throw new AppError(
      "unprocessable",
      `Part ${partNumber} must be ${expected} bytes, got ${result.size}.`,
    );
  }
  return result;
}

/**
 * Completes an upload: the parts are joined, the original is probed (a file that is
 * not a video is refused here, with its reason, and removed with its record: nothing
 * is left behind), then the video is queued for transcoding, all or nothing.
 */
export async function completeUpload(
  id: string,
  parts: { partNumber: number; etag: string }[],
): Promise<{ videoId: string; status: "queued" }> {
  const db = await getDb();
  // Claim the completion first, so two concurrent completes cannot both run.
  const [claimed] = await db
    .update(uploads)
    .set({ status: "completed", completedAt: sql`now()`, updatedAt: sql`now()` })
    .where(sql`${uploads.id} = ${id} and ${uploads.status} = 'open'`)
    .returning();
  if (!claimed) {
    const row = await loadUpload(id);
    throw new AppError("conflict", `This upload is already ${row.status}.`);
  }
  const count = partCount(claimed);
  const numbers = new Set(parts.map((p) => p.partNumber));
  let missing = 0;
  for (let n = count; n >= 1; n -= 1) if (!numbers.has(n)) missing = n;
  if (missing || parts.length !== count) {
    await reopen(id);
    if (missing) throw new AppError("unprocessable", `Part ${missing} is missing.`);
    throw new AppError("unprocessable", `Expected ${count} parts.`);
  }
  await finishCompletion(claimed, parts);
  return { videoId: claimed.videoId, status: "queued" };
}

/** Nothing was joined: the parts may be re-sent and the completion tried again. */
async function reopen(id: string): Promise<void> {
  const db = await getDb();
  await db.update(uploads).set({ status: "open", completedAt: null }).where(eq(uploads.id, id));
}

/**
 * The work after the claim: join, probe, queue. Each step may run again after a crash
 * (see resumeStalledCompletions): a join already done is taken as done, and the video
 * is queued only while it is still "uploading", so it gets exactly one job.
 */
async function finishCompletion(
  claimed: UploadRow,
  parts: { partNumber: number; etag: string }[],
): Promise<void> {
  const db = await getDb();
  const storage = getStorage();
  let size: number;
  try {
    size = (await storage.completeMultipart(claimed.storageKey, claimed.multipartId, parts)).size;
  } catch (err) {
    // The store forgets a joined upload; the object it left says the join was done.
    const joined = await storage.head(claimed.storageKey).catch(() => null);
    if (!joined) {
      await reopen(claimed.id);
      throw err;
    }
    size = joined.size;
  }

  let reason: string | null = null;
  if (size !== claimed.sizeBytes)
    reason = `The upload is ${size} bytes; ${claimed.sizeBytes} were announced.`;
  else {
    try {
      const source = await storage.probeSource(claimed.storageKey);
      const info = await probe(source, { sizeBytes: size });
      checkLimits(info);
      await checkEnd(source, info);
    } catch (err) {
      if (!(err instanceof MediaError)) throw err;
      reason = err.reason;
    }
  }
  if (reason) {
    // Not a usable video: remove it and its records, and say why.
    await deleteVideo(claimed.videoId);
    throw new AppError("unprocessable", reason);
  }

  await db.transaction(async (tx) => {
    const [queued] = await tx
      .update(videos)
      .set({ status: "queued", updatedAt: sql`now()` })
      .where(sql`${videos.id} = ${claimed.videoId} and ${videos.status} = 'uploading'`)
      .returning({ id: videos.id });
    if (queued) await enqueueTranscode(tx, claimed.videoId, env().JOB_MAX_ATTEMPTS);
  });
  wakeWorkers();
}

/** A completion claimed this long ago whose video is still "uploading" has died. */
export const STALLED_COMPLETION_SECONDS = 120;

/**
 * Finishes completions whose server died between the claim and the queueing (a kill,
 * a deploy): their upload says "completed", so the browser, asking again, is told it
 * is done, while the video would stay "uploading" with no job for ever. Each is
 * claimed again (one server wins) and finished with the parts the store holds. Runs
 * in every API server about once a minute (lib/boot.ts). Returns the videos finished.
 */
export async function resumeStalledCompletions(
  log: (line: string) => void = () => {},
): Promise<string[]> {
  const db = await getDb();
  const stalledSince = sql`${uploads.completedAt} < now() - make_interval(secs => ${STALLED_COMPLETION_SECONDS})`;
  const stalled = await db
    .select({ upload: uploads })
    .from(uploads)
    .innerJoin(videos, eq(videos.id, uploads.videoId))
    .where(
      sql`${uploads.status} = 'completed' and ${videos.status} = 'uploading' and ${stalledSince}`,
    );
  const finished: string[] = [];
  for (const { upload } of stalled) {
    const [claimed] = await db
      .update(uploads)
      .set({ completedAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        // Still stalled: of two servers racing here, the first one's update ends it.
        sql`${uploads.id} = ${upload.id} and ${uploads.status} = 'completed' and ${stalledSince}`,
      )
      .returning();
    if (!claimed) continue; // another server took it
    try {
      const parts = await getStorage()
        .listParts(claimed.storageKey, claimed.multipartId)
        .catch((err: unknown) => {
          // Already joined: the store forgot the parts. Anything else is tried next time.
          if (err instanceof AppError && err.code === "not_found") return [];
          throw err;
        });
      await finishCompletion(claimed, parts);
      finished.push(claimed.videoId);
      log(`finished the interrupted completion of video ${claimed.videoId}`);
    } catch (err) {
      // Reopened (parts missing) or refused (not a video): the admin's list says so.
      log(
        `could not finish the interrupted completion of video ${claimed.videoId}: ${messageOf(err)}`,
      );
    }
  }
  return finished;
}

/**
 * How long an upload may stay open: the media bucket aborts incomplete multipart
 * uploads after as many days (infra/lib/media-bucket.ts), after which its parts are gone.
 */
export const ABANDONED_UPLOAD_DAYS = 7;

/**
 * Removes uploads left open for {@link ABANDONED_UPLOAD_DAYS} (a closed tab, a file
 * never finished): their video record, stored parts and multipart upload. Without this
 * they would stay in the admin's list as "uploading" for ever, and locally their parts
 * would stay on disk. Runs with resumeStalledCompletions. Returns the videos removed.
 */
export async function sweepAbandonedUploads(
  log: (line: string) => void = () => {},
): Promise<string[]> {
  const db = await getDb();
  // Claimed first: a completion arriving now finds the upload aborted (409), not half gone.
  const abandoned = await db
    .update(uploads)
    .set({ status: "aborted", updatedAt: sql`now()` })
    .where(
      sql`${uploads.status} = 'open' and ${uploads.createdAt} < now() - make_interval(days => ${ABANDONED_UPLOAD_DAYS})`,
    )
    .returning();
  const removed: string[] = [];
  for (const upload of abandoned) {
    try {
      await getStorage().abortMultipart(upload.storageKey, upload.multipartId);
      await deleteVideo(upload.videoId);
      removed.push(upload.videoId);
      log(
        `removed video ${upload.videoId}: its upload was left open for ${ABANDONED_UPLOAD_DAYS} days`,
      );
    } catch (err) {
      log(`could not remove the abandoned upload of video ${upload.videoId}: ${messageOf(err)}`);
    }
  }
  return removed;
}

/** Cancels an open upload and removes its video record and stored parts. */
export async function abortUpload(id: string): Promise<void> {
  const row = await loadUpload(id);
  if (row.status === "completed")
    throw new AppError("conflict", "This upload is complete; delete the video instead.");
  await deleteVideo(row.videoId);
  await getStorage().deletePrefix(uploadPrefix(row.videoId));
}
