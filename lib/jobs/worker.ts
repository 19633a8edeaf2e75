import "server-only";
import os from "node:os";
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { getDb, type Db } from "@/lib/db";
import { videos } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { getStorage, type Storage } from "@/lib/storage";
import { mediaPrefix } from "@/lib/storage/bucket-keys";
import { messageOf } from "@/lib/errors";
import { MediaError } from "@/lib/media";
import { claimJob, failJob, releaseJob, type Job } from "./queue";
import { LeaseLost, runTranscodeJob } from "./transcode-job";
import { sweepWorkDirs, workRoot } from "./work-dirs";
import { apiMetrics } from "@/lib/observability/api-metrics";
import { getLogger } from "@/lib/observability/logger";

export interface Worker {
  id: string;
  /** Stops claiming, aborts running jobs and gives them back to the queue. */
  stop(): Promise<void>;
}

const POLL_MS = 1000;

// Workers in this process, woken when this process queues a job, so that a job does
// not wait for the next poll. On globalThis because Next.js bundles instrumentation
// (which starts the worker) and the route handlers (which queue jobs) separately.
const localWakers = ((globalThis as { __reelgateWakers?: Set<() => void> }).__reelgateWakers ??=
  new Set<() => void>());

/** Wakes this process's idle workers (others find the job at their next poll). */
export function wakeWorkers(): void {
  for (const wake of localWakers) wake();
}

/**
 * Starts `concurrency` loops that claim and run jobs until stopped. Any number of
 * workers, in any number of processes, may run against one Postgres.
 */
export function startWorker({
  concurrency = 1,
  log = (line: string) => getLogger("worker").info(line),
}: { concurrency?: number; log?: (line: string) => void } = {}): Worker {
  const id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const stopping = new AbortController();
  const running = new Map<string, AbortController>();
  const sleepers = new Set<() => void>();
  const wakeAll = () => {
    for (const resolve of sleepers) resolve();
  };
  localWakers.add(wakeAll);

  const config = env();
  const leaseSeconds = config.JOB_LEASE_SECONDS;
  const work = workRoot(config.dataDir);
  const sweep = async (db: Db) => {
    try {
      const removed = await sweepWorkDirs(db, work);
      if (removed.length > 0)
        log(`removed the work folders of ${removed.length} dead attempt(s): ${removed.join(", ")}`);
    } catch (err) {
      log(`work folder sweep failed: ${messageOf(err)}`);
    }
  };
  // Folders left by attempts killed before this worker started.
  const swept = getDb().then(sweep);

  const loop = async () => {
    const db = await getDb();
    const storage = getStorage();
    await swept;
    while (!stopping.signal.aborted) {
      let job: Job | null = null;
      try {
        job = await claimJob(db, id, leaseSeconds);
      } catch (err) {
        log(`claim failed: ${messageOf(err)}`);
      }
      if (!job) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(t);
            sleepers.delete(done);
            resolve();
          };
          const t = setTimeout(done, POLL_MS);
          sleepers.add(done);
        });
        continue;
      }
      const controller = new AbortController();
      running.set(job.id, controller);
      let started = Date.now();
      try {
        // A claimed job may be a takeover: its earlier attempt's folder (and ffmpeg) go.
        await sweep(db);
        if (job.attempts > job.maxAttempts) {
          await finishFailed(
            db,
            storage,
            job,
            id,
            "The worker processing this video stopped responding too many times.",
          );
          continue;
        }
        log(`job ${job.id} (video ${job.videoId}) attempt ${job.attempts}/${job.maxAttempts}`);
        started = Date.now();
        // Waited since it became claimable (its backoff, if any, is not queue time).
        apiMetrics().jobQueueWait.observe(Math.max(0, (started - job.runAfter.getTime()) / 1000));
        await runTranscodeJob(job, {
          db,
          storage,
          workerId: id,
          leaseSeconds,
          signal: controller.signal,
          workRoot: work,
        });
        log(`job ${job.id} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        apiMetrics().jobDuration.observe({ outcome: "succeeded" }, (Date.now() - started) / 1000);
      } catch (err) {
        const outcome = await handleFailure(
          db,
          storage,
          job,
          id,
          err,
          stopping.signal.aborted,
          log,
        );
        apiMetrics().jobDuration.observe({ outcome }, (Date.now() - started) / 1000);
      } finally {
        running.delete(job.id);
      }
    }
  };

  const loops = Array.from({ length: concurrency }, () =>
    loop().catch((err: unknown) => log(`worker loop crashed: ${String(err)}`)),
  );
  log(`worker ${id} started (${concurrency} at a time)`);

  return {
    id,
    async stop() {
      stopping.abort();
      localWakers.delete(wakeAll);
      wakeAll();
      for (const c of running.values()) c.abort();
      await Promise.all(loops);
    },
  };
}

async function handleFailure(
  db: Db,
  storage: Storage,
  job: Job,
  workerId: string,
  err: unknown,
  shuttingDown: boolean,
  log: (line: string) => void,
): Promise<string> {
  if (err instanceof LeaseLost) {
    log(`job ${job.id}: lease lost, leaving it to its new owner`);
    return "lease_lost";
  }
  if (shuttingDown) {
    await releaseJob(db, job.id, workerId).catch(() => {});
    log(`job ${job.id}: released for another worker`);
    return "released";
  }
  // A bad file or a missing ffmpeg fails for good with its own reason; anything
  // else (disk, network, a crash of ffmpeg) is retried with backoff.
  const retryable = !(err instanceof MediaError) || err.code === "failed";
  const reason =
    err instanceof MediaError ? err.reason : "Transcoding failed: " + shortMessage(err);
  const outcome = await failJob(db, job, workerId, reason, { retryable });
  log(`job ${job.id}: ${outcome}: ${reason}`);
  if (outcome === "failed") {
    apiMetrics().jobsFailed.inc();
    await markVideoFailed(db, storage, job.videoId, reason);
  } else if (outcome === "retry") {
    await db
      .update(videos)
      .set({ status: "queued", updatedAt: sql`now()` })
      .where(eq(videos.id, job.videoId));
  }
  return String(outcome);
}

async function finishFailed(
  db: Db,
  storage: Storage,
  job: Job,
  workerId: string,
  reason: string,
): Promise<void> {
  const outcome = await failJob(db, job, workerId, reason, { retryable: false });
  if (outcome === "failed") {
    apiMetrics().jobsFailed.inc();
    await markVideoFailed(db, storage, job.videoId, reason);
  }
}

/**
 * The video failed for good: whatever an attempt uploaded before it stopped (part of a
 * ladder) is removed, so that no media is left that nothing refers to. Captions stay.
 */
async function markVideoFailed(
  db: Db,
  storage: Storage,
  videoId: string,
  reason: string,
): Promise<void> {
  await db
    .update(videos)
    .set({ status: "failed", error: reason, updatedAt: sql`now()` })
    .where(eq(videos.id, videoId));
  // Best effort: the worker goes on if the bucket fails here, and `npm run check` then
  // reports what is left as orphaned media.
  const prefix = mediaPrefix(videoId);
  await storage.deletePrefix(`${prefix}hls/`).catch(() => 0);
  await storage.deletePrefix(`${prefix}poster.jpg`).catch(() => 0);
}

function shortMessage(err: unknown): string {
  const text = messageOf(err);
  return text.split("\n")[0]!.slice(0, 300);
}
