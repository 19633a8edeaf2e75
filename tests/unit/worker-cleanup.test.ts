import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { closeDatabase, getDb, type Db } from "@/lib/db";
import { jobs, uploads, videos } from "@/lib/db/schema";
import { getStorage, type Storage } from "@/lib/storage";
import { claimJob, enqueueTranscode, startWorker } from "@/lib/jobs";
import { LeaseLost, runTranscodeJob } from "@/lib/jobs/transcode-job";
import { sweepWorkDirs, workRoot } from "@/lib/jobs/work-dirs";
import { mediaPrefix } from "@/lib/storage/bucket-keys";
import { makeTestVideo } from "../support/test-video";
import { waitFor } from "../support/wait";
import { completedUploadRow } from "./helpers/db";

// What a worker cleans up after others and after itself: the work folders (and
// ffmpeg processes) of attempts killed with SIGKILL, the partial ladder of a video
// that failed for good, and the media a transcode uploads for a video deleted
// meanwhile. The worker of this process, on a PGlite database in a temp DATA_DIR.

const dataDir = mkdtempSync(path.join(os.tmpdir(), "reelgate-cleanup-"));
const root = workRoot(dataDir);
const children: ChildProcess[] = [];

/** A process whose command line names a file in `dir`, as an orphaned ffmpeg's does. */
function processIn(dir: string): ChildProcess {
  mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", `${dir}/original`], {
    stdio: "ignore",
  });
  children.push(child);
  return child;
}

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

async function queuedVideo(db: Db, storage: Storage, id: string, original: string | Buffer) {
  const key = `uploads/${id}/original.mp4`;
  if (typeof original === "string") await storage.putFile(key, original);
  else await storage.put(key, original);
  await db.insert(videos).values({ id, title: id, status: "queued" });
  await db.insert(uploads).values(completedUploadRow(id, key));
  return enqueueTranscode(db, id, 1);
}

describe("worker cleanup", () => {
  let db: Db;
  let storage: Storage;

  beforeAll(async () => {
    process.env.DATA_DIR = dataDir;
    process.env.JOB_LEASE_SECONDS = "6";
    db = await getDb();
    storage = getStorage();
  });

  afterAll(async () => {
    for (const c of children) if (alive(c)) c.kill("SIGKILL");
    await closeDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("sweeps the folders of dead attempts and kills what still runs in them", async () => {
    const live = await queuedVideo(db, storage, "sweeplive1", Buffer.from("x"));
    await db
      .update(jobs)
      .set({ status: "running", attempts: 2, leaseExpiresAt: sql`now() + interval '1 minute'` })
      .where(eq(jobs.id, live.id));
    const done = await queuedVideo(db, storage, "sweepdone1", Buffer.from("x"));
    await db.update(jobs).set({ status: "succeeded", attempts: 1 }).where(eq(jobs.id, done.id));

    const current = processIn(path.join(root, `${live.id}.2`));
    const earlier = processIn(path.join(root, `${live.id}.1`));
    const finished = processIn(path.join(root, `${done.id}.1`));
    const unknown = processIn(path.join(root, `${randomUUID()}.1`));
    mkdirSync(path.join(root, "not-an-attempt"));

    const removed = await sweepWorkDirs(db, root);
    expect(removed).toHaveLength(4);
    expect(readdirSync(root)).toEqual([`${live.id}.2`]);
    await waitFor(
      "the dead attempts' processes to end",
      () => [earlier, finished, unknown].every((c) => !alive(c)) || undefined,
      60_000,
    );
    expect(alive(current)).toBe(true);
    current.kill("SIGKILL");
    rmSync(path.join(root, `${live.id}.2`), { recursive: true });
    await db.delete(videos).where(sql`${videos.id} in ('sweeplive1', 'sweepdone1')`);
  });

  it("removes the media uploaded for a video deleted during the transcode", async () => {
    const source = path.join(dataDir, "source.mp4");
    makeTestVideo(source, { seconds: 2, size: "320x240" });
    const id = "deletedmid1";
    await queuedVideo(db, storage, id, source);
    const job = (await claimJob(db, "test-worker", 6))!;
    expect(job.videoId).toBe(id);
    // The admin deletes the video while the outputs are being uploaded: the delete
    // removes the rows and the folder, then the worker's remaining uploads land.
    let deleted = false;
    const racing: Storage = {
      ...storage,
      async putFile(key, file, options) {
        if (!deleted) {
          deleted = true;
          await db.delete(videos).where(eq(videos.id, id));
          await storage.deletePrefix(mediaPrefix(id));
        }
        await storage.putFile(key, file, options);
      },
    };
    await expect(
      runTranscodeJob(job, {
        db,
        storage: racing,
        workerId: "test-worker",
        leaseSeconds: 6,
        signal: new AbortController().signal,
        workRoot: root,
      }),
    ).rejects.toBeInstanceOf(LeaseLost);
    expect(deleted).toBe(true);
    expect(await storage.list(mediaPrefix(id))).toEqual([]);
    expect(existsSync(path.join(root, `${job.id}.1`))).toBe(false);
  }, 120_000);

  it("on start sweeps leftovers; a video failing for good loses its partial ladder", async () => {
    const stale = processIn(path.join(root, `${randomUUID()}.1`));
    const id = "failsgood01";
    const job = await queuedVideo(db, storage, id, Buffer.from("not a video at all"));
    const prefix = mediaPrefix(id);
    // What an earlier, killed attempt uploaded, and a caption the admin added.
    await storage.put(`${prefix}hls/360p/seg_00000.ts`, "x");
    await storage.put(`${prefix}poster.jpg`, "x");
    await storage.put(`${prefix}captions/en.vtt`, "WEBVTT\n");

    const lines: string[] = [];
    const worker = startWorker({ log: (line) => lines.push(line) });
    try {
      await waitFor(
        "the job to fail",
        async () => {
          const [row] = await db.select().from(jobs).where(eq(jobs.id, job.id));
          return row?.status === "failed" || undefined;
        },
        60_000,
      );
    } finally {
      await worker.stop();
    }
    expect(lines.join("\n")).toMatch(/removed the work folders of 1 dead attempt/);
    await waitFor("the stale attempt's process to end", () => !alive(stale) || undefined, 60_000);
    expect(readdirSync(root)).toEqual([]);
    const [video] = await db.select().from(videos).where(eq(videos.id, id));
    expect(video?.status).toBe("failed");
    expect((await storage.list(prefix)).map((o) => o.key)).toEqual([`${prefix}captions/en.vtt`]);
  }, 120_000);
});
