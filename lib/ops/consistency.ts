import "server-only";
import type { ConsistencyReport, Problem, ProblemKind } from "./problems";
import path from "node:path";
import { inArray, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { jobs, uploads, videos } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import type { ObjectInfo, Storage } from "@/lib/storage";
import { MEDIA_ROOT, UPLOADS_ROOT, mediaPrefix } from "@/lib/storage/bucket-keys";
import { checkCatalogImages } from "./catalog-check";

/**
 * Does the bucket match the database? Used by `npm run check` and by the fault tests
 * (tests/unit/fault-api-kill.test.ts). The problems it reports:
 *
 * - `missing_media`: a `ready` video whose master playlist, a rendition playlist (named
 *   by the master or by the video's row), a segment a rendition names, or the poster is
 *   not in the bucket; or a
 *   caption listed on any video without its file.
 * - `orphan_media`: objects under `media/videos/<id>/` that nothing needs:
 *   - all of them when there is no video `<id>`;
 *   - for a `ready` video, files under `hls/` that its playlists do not name;
 *   - for a video that is not ready, `hls/` and `poster.jpg` unless a job for it is
 *     queued or running. While one is, they are an attempt's output in progress (or an
 *     interrupted attempt's, which the next attempt deletes before it uploads); once
 *     no job will run, they are leftovers. The worker removes them itself when a video
 *     fails for good, so any found are a fault;
 *   - caption files the video does not list, and any other key.
 * - `missing_original`: an upload `completed` without its original in the bucket.
 * - `orphan_original`: objects under `uploads/<id>/` other than the original of a
 *   completed upload of video `<id>`.
 * - `lost_upload`: an `open` upload whose multipart upload the bucket no longer has (it
 *   can be neither resumed nor completed).
 * - `stale_job`: a job `running` whose lease expired more than `graceSeconds` ago: its
 *   worker is gone and no worker has taken it over (none running, or all busy).
 * - `stuck_video`: a video `queued` or `processing` with no job queued or running for
 *   it, or still `uploading` though its upload completed: nothing will process it.
 * - `legacy_ladder`: a `ready` video whose ladder has MPEG-TS segments, made before the
 *   transcoder wrote fMP4. The player's hls.js plays fMP4 only (scripts/hls-asset.mjs), so
 *   only Safari's native HLS still plays it; the video needs transcoding again.
 * - `missing_catalog_image`, `stray_catalog_image`: see catalog-check.ts.
 *
 * The check reads the bucket first, then the database, without locking anything; on a
 * busy system a state in flight (a delete between its two steps) can show up once. A
 * state younger than `graceSeconds` (a completion being joined, a lease just expired)
 * is not reported. A problem reported twice in a row is real.
 */

export type { ConsistencyReport, Problem, ProblemKind } from "./problems";

export interface CheckOptions {
  db: Db;
  storage: Storage;
  /** Seconds a state may be in flight before it is reported (default 120). */
  graceSeconds?: number;
}

const MAX_KEYS = 20;
const LIVE_JOB = ["queued", "running"] as const;

/** Objects grouped by the id segment that follows `root` (media/videos/<id>/..., uploads/<id>/...). */
function byVideo(objects: ObjectInfo[], root: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { key } of objects) {
    const id = key.slice(root.length).split("/")[0]!;
    const list = out.get(id) ?? [];
    list.push(key);
    out.set(id, list);
  }
  return out;
}

/** A problem about objects in the bucket: the first MAX_KEYS of them, and how many in all. */
function keysProblem(
  kind: ProblemKind,
  videoId: string,
  keys: string[],
  message: (count: string) => string,
): Problem {
  const count = keys.length === 1 ? "1 object" : `${keys.length} objects`;
  return { kind, videoId, keys: keys.slice(0, MAX_KEYS), message: message(count) };
}

async function readText(storage: Storage, key: string): Promise<string> {
  const { body } = await storage.getStream(key);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
}

/** Every URI a playlist names: its non-tag lines and the URI="..." of its tags (EXT-X-MAP). */
export function playlistUris(text: string): string[] {
  const uris: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (!line.startsWith("#")) uris.push(line);
    else for (const m of line.matchAll(/URI="([^"]+)"/g)) uris.push(m[1]!);
  }
  return uris.filter((u) => !/^[a-z][a-z0-9+.-]*:/i.test(u));
}

/**
 * The keys a ready video's ladder needs: the master playlist, what it names, what those
 * name, and the poster. Follows only the playlists that exist (the missing ones are
 * reported by the caller).
 */
async function ladderKeys(
  storage: Storage,
  video: Pick<typeof videos.$inferSelect, "id" | "playlistKey" | "posterKey" | "renditions">,
  present: Set<string>,
): Promise<Set<string>> {
  const needed = new Set<string>();
  if (video.posterKey) needed.add(video.posterKey);
  // The renditions the database lists must be there too, named by the master or not.
  const pending = video.renditions.map((r) => `${mediaPrefix(video.id)}${r.playlist}`);
  if (video.playlistKey) pending.push(video.playlistKey);
  while (pending.length > 0) {
    const key = pending.pop()!;
    if (needed.has(key)) continue;
    needed.add(key);
    if (!key.endsWith(".m3u8") || !present.has(key)) continue;
    for (const uri of playlistUris(await readText(storage, key))) {
      pending.push(path.posix.normalize(path.posix.join(path.posix.dirname(key), uri)));
    }
  }
  return needed;
}

/** Lists what does not match between the database and the bucket. */
export async function checkConsistency({
  db,
  storage,
  graceSeconds = 120,
}: CheckOptions): Promise<ConsistencyReport> {
  const media = await storage.list(MEDIA_ROOT);
  const originals = await storage.list(UPLOADS_ROOT);
  const videoRows = await db.select().from(videos);
  const uploadRows = await db.select().from(uploads);
  const jobRows = await db
    .select({
      id: jobs.id,
      videoId: jobs.videoId,
      status: jobs.status,
      attempts: jobs.attempts,
      // On the database's clock, which set the leases.
      leaseExpiredFor: sql<number>`extract(epoch from now() - ${jobs.leaseExpiresAt})::float8`,
    })
    .from(jobs)
    .where(inArray(jobs.status, [...LIVE_JOB]));
  const [clock] = (
    (await db.execute(sql`select extract(epoch from now())::float8 * 1000 as ms`)) as {
      rows: { ms: number }[];
    }
  ).rows;
  const dbNow = Number(clock?.ms ?? Date.now());
  const olderThanGrace = (at: Date | null) =>
    at !== null && dbNow - at.getTime() > graceSeconds * 1000;

  const problems: Problem[] = [];
  const mediaByVideo = byVideo(media, MEDIA_ROOT);
  const originalsByVideo = byVideo(originals, UPLOADS_ROOT);
  const originalKeys = new Set(originals.map((o) => o.key));
  const liveJobVideos = new Set(jobRows.map((j) => j.videoId));
  const uploadsByVideo = new Map<string, (typeof uploadRows)[number][]>();
  for (const u of uploadRows)
    uploadsByVideo.set(u.videoId, [...(uploadsByVideo.get(u.videoId) ?? []), u]);

  for (const video of videoRows) {
    const prefix = mediaPrefix(video.id);
    const keys = mediaByVideo.get(video.id) ?? [];
    mediaByVideo.delete(video.id);
    const present = new Set(keys);
    const captions = new Set(video.captions.map((c) => c.key));
    const hasLiveJob = liveJobVideos.has(video.id);

    const missing: string[] = [];
    for (const key of captions) if (!present.has(key)) missing.push(key);
    let ladder = new Set<string>();
    if (video.status === "ready") {
      if (!video.playlistKey || !video.posterKey) {
        problems.push({
          kind: "missing_media",
          videoId: video.id,
          message: `video ${video.id} is ready but has no ${video.playlistKey ? "poster" : "playlist"} key`,
        });
      }
      ladder = await ladderKeys(storage, video, present);
      for (const key of ladder) if (!present.has(key)) missing.push(key);
      const mpegTs = [...ladder].filter((key) => key.endsWith(".ts"));
      if (mpegTs.length > 0) {
        problems.push(
          keysProblem(
            "legacy_ladder",
            video.id,
            mpegTs,
            (count) =>
              `video ${video.id} has an MPEG-TS ladder (${count}), which only Safari plays: upload its original again`,
          ),
        );
      }
    }
    if (missing.length > 0) {
      problems.push(
        keysProblem(
          "missing_media",
          video.id,
          missing,
          (count) => `video ${video.id} (${video.status}) is missing ${count} of its media`,
        ),
      );
    }

    const orphans = keys.filter((key) => {
      if (captions.has(key) || ladder.has(key)) return false;
      const rel = key.slice(prefix.length);
      const output = rel.startsWith("hls/") || rel === "poster.jpg";
      return !(output && video.status !== "ready" && hasLiveJob);
    });
    if (orphans.length > 0) {
      problems.push(
        keysProblem(
          "orphan_media",
          video.id,
          orphans,
          (count) =>
            `video ${video.id} (${video.status}${hasLiveJob ? ", job pending" : ""}) has ${count} of media nothing needs`,
        ),
      );
    }

    const videoUploads = uploadsByVideo.get(video.id) ?? [];
    if (
      !hasLiveJob &&
      (video.status === "queued" || video.status === "processing") &&
      olderThanGrace(video.updatedAt)
    ) {
      problems.push({
        kind: "stuck_video",
        videoId: video.id,
        message: `video ${video.id} is ${video.status} but no job is queued or running for it`,
      });
    }
    const completed = videoUploads.find((u) => u.status === "completed");
    if (
      !hasLiveJob &&
      video.status === "uploading" &&
      completed &&
      olderThanGrace(completed.completedAt)
    ) {
      problems.push({
        kind: "stuck_video",
        videoId: video.id,
        uploadId: completed.id,
        message: `video ${video.id} is still uploading though its upload completed, and no transcode was queued`,
      });
    }

    const wanted = new Set(
      videoUploads.filter((u) => u.status === "completed").map((u) => u.storageKey),
    );
    const strays = (originalsByVideo.get(video.id) ?? []).filter((key) => !wanted.has(key));
    originalsByVideo.delete(video.id);
    if (strays.length > 0) {
      problems.push(
        keysProblem(
          "orphan_original",
          video.id,
          strays,
          (count) => `video ${video.id} has ${count} under uploads/ that are not its original`,
        ),
      );
    }
  }

  // What is left belongs to no video.
  for (const [id, keys] of mediaByVideo) {
    problems.push(
      keysProblem(
        "orphan_media",
        id,
        keys,
        (count) => `${count} under ${mediaPrefix(id)} and no video ${id}`,
      ),
    );
  }
  for (const [id, keys] of originalsByVideo) {
    problems.push(
      keysProblem(
        "orphan_original",
        id,
        keys,
        (count) => `${count} under ${UPLOADS_ROOT}${id}/ and no video ${id}`,
      ),
    );
  }

  for (const upload of uploadRows) {
    if (upload.status === "completed") {
      if (!originalKeys.has(upload.storageKey) && olderThanGrace(upload.completedAt)) {
        problems.push({
          kind: "missing_original",
          videoId: upload.videoId,
          uploadId: upload.id,
          keys: [upload.storageKey],
          message: `upload ${upload.id} of video ${upload.videoId} is completed but its original is missing`,
        });
      }
    } else if (upload.status === "open") {
      try {
        await storage.listParts(upload.storageKey, upload.multipartId);
      } catch (err) {
        if (!(err instanceof AppError && err.code === "not_found")) throw err;
        problems.push({
          kind: "lost_upload",
          videoId: upload.videoId,
          uploadId: upload.id,
          message: `upload ${upload.id} of video ${upload.videoId} is open but the bucket has no such multipart upload`,
        });
      }
    }
  }

  for (const job of jobRows) {
    if (
      job.status === "running" &&
      job.leaseExpiredFor !== null &&
      job.leaseExpiredFor > graceSeconds
    ) {
      problems.push({
        kind: "stale_job",
        videoId: job.videoId,
        jobId: job.id,
        message: `job ${job.id} (video ${job.videoId}, attempt ${job.attempts}) is running but its lease expired ${Math.round(job.leaseExpiredFor)} s ago: no worker has taken it over`,
      });
    }
  }

  problems.push(...(await checkCatalogImages(db, storage)));

  return {
    checkedAt: new Date(dbNow).toISOString(),
    checked: {
      videos: videoRows.length,
      uploads: uploadRows.length,
      activeJobs: jobRows.length,
      mediaObjects: media.length,
      originals: originals.length,
    },
    problems,
  };
}

/** The report as text for a terminal, one line per problem. */
export function formatReport(report: ConsistencyReport): string {
  const c = report.checked;
  const lines = [
    `checked at ${report.checkedAt}: ${c.videos} videos, ${c.uploads} uploads, ${c.activeJobs} queued or running jobs, ${c.mediaObjects} media objects, ${c.originals} originals`,
  ];
  if (report.problems.length === 0) lines.push("no problems found");
  for (const p of report.problems) {
    lines.push(`${p.kind}: ${p.message}`);
    for (const key of p.keys ?? []) lines.push(`    ${key}`);
  }
  return lines.join("\n");
}
