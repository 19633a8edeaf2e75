import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { jobs, uploads, videos } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { makeTestVideo } from "../support/test-video";
import { testDatabase, useAsAppDatabase } from "./helpers/db";

// A completion cut off between its claim and the queueing (kill -9, a deploy) leaves
// the upload "completed" and the video "uploading" with no job; the browser, asking
// again, is told the upload is done. resumeStalledCompletions finishes it, once.
// An upload left open for a week (the bucket aborts its parts then) is removed whole.

const dataDir = mkdtempSync(path.join(os.tmpdir(), "reelgate-stalled-"));
process.env.DATA_DIR = dataDir;
process.env.STORAGE_DRIVER = "local";
const service = await import("@/lib/uploads/service");
const { getStorage } = await import("@/lib/storage");
const { createUser } = await import("@/lib/auth/users");

describe("upload upkeep: resumeStalledCompletions and sweepAbandonedUploads", () => {
  let database: Database;
  let restoreDb: () => void;
  let adminId: string;
  let source: string;

  beforeAll(async () => {
    database = await testDatabase();
    restoreDb = useAsAppDatabase(database);
    adminId = (
      await createUser({ email: "admin@stalled.test", role: "admin", password: "admin-password-1" })
    ).id;
    source = path.join(dataDir, "source.mp4");
    makeTestVideo(source, { seconds: 2, size: "320x240" });
  }, 60_000);

  afterAll(async () => {
    restoreDb();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** An upload with its one part received, as the browser leaves it before completing. */
  async function uploaded(title: string) {
    const bytes = readFileSync(source);
    const state = await service.createUpload(adminId, {
      fileName: "source.mp4",
      contentType: "video/mp4",
      sizeBytes: statSync(source).size,
      title,
      description: "",
    });
    const part = await service.receivePart(state.id, 1, new Blob([bytes]).stream());
    return { state, parts: [{ partNumber: 1, etag: part.etag }] };
  }

  /** What a server that died `secondsAgo` after claiming the completion left behind. */
  async function claimedAndDied(uploadId: string, secondsAgo: number) {
    await database.db
      .update(uploads)
      .set({
        status: "completed",
        completedAt: sql`now() - ${secondsAgo}::int * interval '1 second'`,
      })
      .where(eq(uploads.id, uploadId));
  }

  async function videoState(videoId: string) {
    const [video] = await database.db.select().from(videos).where(eq(videos.id, videoId));
    const queued = await database.db.select().from(jobs).where(eq(jobs.videoId, videoId));
    return { status: video?.status, jobs: queued.length };
  }

  it("finishes a completion that died before the join, and queues the video once", async () => {
    const { state } = await uploaded("died before join");
    await claimedAndDied(state.id, 600);
    // The browser's retry is told the upload is done...
    await expect(service.completeUpload(state.id, [])).rejects.toMatchObject({ code: "conflict" });
    expect(await videoState(state.videoId)).toEqual({ status: "uploading", jobs: 0 });

    // ...and a server finishes it from the parts the store holds. Two at once: one wins.
    const runs = await Promise.all([
      service.resumeStalledCompletions(),
      service.resumeStalledCompletions(),
    ]);
    expect(runs.flat()).toEqual([state.videoId]);
    expect(await videoState(state.videoId)).toEqual({ status: "queued", jobs: 1 });
    const [row] = await database.db.select().from(uploads).where(eq(uploads.id, state.id));
    expect(row?.status).toBe("completed");
    expect((await getStorage().head(row!.storageKey))?.size).toBe(statSync(source).size);

    // Nothing is left to resume.
    expect(await service.resumeStalledCompletions()).toEqual([]);
    expect(await videoState(state.videoId)).toEqual({ status: "queued", jobs: 1 });
  });

  it("finishes one that died after the join (the store forgot the parts)", async () => {
    const { state, parts } = await uploaded("died after join");
    const [row] = await database.db.select().from(uploads).where(eq(uploads.id, state.id));
    await getStorage().completeMultipart(row!.storageKey, row!.multipartId, parts);
    await claimedAndDied(state.id, 600);
    expect(await service.resumeStalledCompletions()).toEqual([state.videoId]);
    expect(await videoState(state.videoId)).toEqual({ status: "queued", jobs: 1 });
  });

  it("leaves a completion that may still be running alone", async () => {
    const { state } = await uploaded("still running");
    await claimedAndDied(state.id, 5);
    expect(await service.resumeStalledCompletions()).toEqual([]);
    expect(await videoState(state.videoId)).toEqual({ status: "uploading", jobs: 0 });
  });

  it("reopens one whose parts are gone, so the admin can send them again", async () => {
    const { state } = await uploaded("parts lost");
    const [row] = await database.db.select().from(uploads).where(eq(uploads.id, state.id));
    await getStorage().abortMultipart(row!.storageKey, row!.multipartId);
    await claimedAndDied(state.id, 600);
    expect(await service.resumeStalledCompletions()).toEqual([]);
    const [after] = await database.db.select().from(uploads).where(eq(uploads.id, state.id));
    expect(after?.status).toBe("open");
    expect(await videoState(state.videoId)).toEqual({ status: "uploading", jobs: 0 });
  });

  it("a normal completion still works and queues exactly one job", async () => {
    const { state, parts } = await uploaded("normal");
    expect(await service.completeUpload(state.id, parts)).toEqual({
      videoId: state.videoId,
      status: "queued",
    });
    expect(await videoState(state.videoId)).toEqual({ status: "queued", jobs: 1 });
  });

  it("removes uploads left open for a week: video, parts and multipart upload", async () => {
    const old = await uploaded("abandoned");
    const recent = await uploaded("still being sent");
    const [row] = await database.db.select().from(uploads).where(eq(uploads.id, old.state.id));
    await database.db
      .update(uploads)
      .set({ createdAt: sql`now() - interval '8 days'` })
      .where(eq(uploads.id, old.state.id));
    expect((await getStorage().listParts(row!.storageKey, row!.multipartId)).length).toBe(1);

    expect(await service.sweepAbandonedUploads()).toEqual([old.state.videoId]);
    expect(await database.db.select().from(videos).where(eq(videos.id, old.state.videoId))).toEqual(
      [],
    );
    await expect(getStorage().listParts(row!.storageKey, row!.multipartId)).rejects.toMatchObject({
      code: "not_found",
    });
    // An upload from this week is untouched and can still be completed.
    expect(await service.sweepAbandonedUploads()).toEqual([]);
    await expect(service.completeUpload(recent.state.id, recent.parts)).resolves.toMatchObject({
      status: "queued",
    });
  });
});
