import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { createLocalStorage, type Storage } from "@/lib/storage";
import { jobs, uploads, videos, type Rendition } from "@/lib/db/schema";
import { checkConsistency, formatReport, playlistUris } from "@/lib/ops/consistency";
import { completedUploadRow, testDatabase } from "./helpers/db";

// The consistency checker on a database and a bucket seeded with one case of every
// problem it knows, next to healthy videos that must not be reported.

const hourAgo = new Date(Date.now() - 3600_000);
const MASTER = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n360p/index.m3u8\n";
const RENDITION =
  '#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:4.0,\nseg_00000.m4s\n#EXTINF:2.0,\nseg_00001.m4s\n#EXT-X-ENDLIST\n';
/** A ladder made before the transcoder wrote fMP4. */
const TS_RENDITION =
  "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\nseg_00000.ts\n#EXTINF:2.0,\nseg_00001.ts\n#EXT-X-ENDLIST\n";
const renditions: Rendition[] = [
  { name: "360p", width: 640, height: 360, bandwidth: 800000, playlist: "hls/360p/index.m3u8" },
];

describe("checkConsistency", () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let storage: Storage;
  let dir: string;

  const m = (id: string, rel: string) => `media/videos/${id}/${rel}`;
  const put = (key: string, body = "x") => storage.put(key, body);
  const putLadder = async (id: string) => {
    await put(m(id, "hls/master.m3u8"), MASTER);
    await put(m(id, "hls/360p/index.m3u8"), RENDITION);
    await put(m(id, "hls/360p/init.mp4"));
    await put(m(id, "hls/360p/seg_00000.m4s"));
    await put(m(id, "hls/360p/seg_00001.m4s"));
    await put(m(id, "poster.jpg"));
  };
  const readyVideo = (id: string) => ({
    id,
    title: id,
    status: "ready" as const,
    playlistKey: m(id, "hls/master.m3u8"),
    posterKey: m(id, "poster.jpg"),
    renditions,
  });
  const completedUpload = async (videoId: string, { stored = true } = {}) => {
    const key = `uploads/${videoId}/original.mp4`;
    if (stored) await put(key, "original");
    await database.db
      .insert(uploads)
      .values({ ...completedUploadRow(videoId, key), completedAt: hourAgo });
  };

  beforeAll(async () => {
    database = await testDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "reelgate-consistency-"));
    storage = createLocalStorage(path.join(dir, "bucket"));
  });

  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports nothing for healthy videos, one being transcoded and an open upload", async () => {
    const { db } = database;
    // Ready, with a caption, its original and its finished job.
    await putLadder("okvideo001");
    await put(m("okvideo001", "captions/en.vtt"), "WEBVTT\n");
    await db.insert(videos).values({
      ...readyVideo("okvideo001"),
      captions: [{ lang: "en", label: "English", key: m("okvideo001", "captions/en.vtt") }],
    });
    await completedUpload("okvideo001");
    await db.insert(jobs).values({ videoId: "okvideo001", status: "succeeded", attempts: 1 });
    // Being transcoded: a live lease, part of an earlier attempt's output still there.
    await db.insert(videos).values({ id: "inflight01", title: "t", status: "processing" });
    await completedUpload("inflight01");
    await db.insert(jobs).values({
      videoId: "inflight01",
      status: "running",
      attempts: 2,
      leaseExpiresAt: sql`now() + interval '30 seconds'`,
    });
    await put(m("inflight01", "hls/360p/seg_00000.m4s"));
    // An upload in progress.
    const key = "uploads/openvideo1/original.mp4";
    const { multipartId } = await storage.createMultipart(key, "video/mp4");
    await db.insert(videos).values({ id: "openvideo1", title: "t", status: "uploading" });
    await db.insert(uploads).values({
      id: "upopenvideo1",
      videoId: "openvideo1",
      storageKey: key,
      multipartId,
      fileName: "a.mp4",
      contentType: "video/mp4",
      sizeBytes: 8,
      partSize: 8,
    });

    const report = await checkConsistency({ db, storage, graceSeconds: 60 });
    expect(report.problems).toEqual([]);
    expect(report.checked).toMatchObject({ videos: 3, uploads: 3, activeJobs: 1 });
    expect(formatReport(report)).toContain("no problems found");
  });

  it("finds every kind of problem, each on its video", async () => {
    const { db } = database;
    // Ready, but the init segment, a segment and the poster are gone.
    await putLadder("missing001");
    await storage.deletePrefix(m("missing001", "hls/360p/init.mp4"));
    await storage.deletePrefix(m("missing001", "hls/360p/seg_00001.m4s"));
    await storage.deletePrefix(m("missing001", "poster.jpg"));
    await db.insert(videos).values(readyVideo("missing001"));
    await completedUpload("missing001");
    // Ready, with a stray file under hls/ and a caption file it does not list.
    await putLadder("strays0001");
    await put(m("strays0001", "hls/old/seg_00000.ts"));
    await put(m("strays0001", "captions/fr.vtt"), "WEBVTT\n");
    await db.insert(videos).values(readyVideo("strays0001"));
    await completedUpload("strays0001");
    // Failed for good, with part of a ladder left and a listed caption missing.
    await put(m("failed0001", "hls/360p/seg_00000.ts"));
    await db.insert(videos).values({
      id: "failed0001",
      title: "t",
      status: "failed",
      captions: [{ lang: "de", label: "German", key: m("failed0001", "captions/de.vtt") }],
    });
    await completedUpload("failed0001");
    // No video at all.
    await put(m("ghost00001", "hls/master.m3u8"), MASTER);
    await put("uploads/ghost00001/original.mp4");
    // Completed upload without its original.
    await db.insert(videos).values({ id: "noorig0001", title: "t", status: "failed" });
    await completedUpload("noorig0001", { stored: false });
    // A job whose worker died an hour ago and nobody took over.
    await db.insert(videos).values({ id: "stale00001", title: "t", status: "processing" });
    await completedUpload("stale00001");
    await db.insert(jobs).values({
      videoId: "stale00001",
      status: "running",
      attempts: 1,
      lockedBy: "gone",
      leaseExpiresAt: hourAgo,
    });
    // Queued, but there is no job.
    await db
      .insert(videos)
      .values({ id: "stuck00001", title: "t", status: "queued", updatedAt: hourAgo });
    await completedUpload("stuck00001");
    // Uploaded, but the completion stopped before queueing the transcode.
    await db.insert(videos).values({ id: "stuck00002", title: "t", status: "uploading" });
    await completedUpload("stuck00002");
    // Open, but the bucket lost its multipart upload.
    await db.insert(videos).values({ id: "lostup0001", title: "t", status: "uploading" });
    await db.insert(uploads).values({
      id: "uplostup0001",
      videoId: "lostup0001",
      storageKey: "uploads/lostup0001/original.mp4",
      multipartId: "nosuchmultipartupload",
      fileName: "a.mp4",
      contentType: "video/mp4",
      sizeBytes: 8,
      partSize: 8,
    });
    // Ready, complete, but MPEG-TS: made before the transcoder wrote fMP4.
    await put(m("legacyts01", "hls/master.m3u8"), MASTER);
    await put(m("legacyts01", "hls/360p/index.m3u8"), TS_RENDITION);
    await put(m("legacyts01", "hls/360p/seg_00000.ts"));
    await put(m("legacyts01", "hls/360p/seg_00001.ts"));
    await put(m("legacyts01", "poster.jpg"));
    await db.insert(videos).values(readyVideo("legacyts01"));
    await completedUpload("legacyts01");
    // A second file next to an original.
    await put("uploads/okvideo001/copy.mp4");

    const report = await checkConsistency({ db, storage, graceSeconds: 60 });
    const found = report.problems.map((p) => `${p.kind} ${p.videoId}`).sort();
    expect(found).toEqual(
      [
        "missing_media missing001",
        "missing_media failed0001",
        "orphan_media strays0001",
        "orphan_media failed0001",
        "orphan_media ghost00001",
        "orphan_original ghost00001",
        "orphan_original okvideo001",
        "missing_original noorig0001",
        "stale_job stale00001",
        "stuck_video stuck00001",
        "stuck_video stuck00002",
        "lost_upload lostup0001",
        "legacy_ladder legacyts01",
      ].sort(),
    );
    const keysOf = (kind: string, id: string) =>
      report.problems.find((p) => p.kind === kind && p.videoId === id)?.keys;
    expect(keysOf("missing_media", "missing001")?.sort()).toEqual([
      m("missing001", "hls/360p/init.mp4"),
      m("missing001", "hls/360p/seg_00001.m4s"),
      m("missing001", "poster.jpg"),
    ]);
    expect(keysOf("orphan_media", "strays0001")?.sort()).toEqual([
      m("strays0001", "captions/fr.vtt"),
      m("strays0001", "hls/old/seg_00000.ts"),
    ]);
    expect(keysOf("orphan_media", "failed0001")).toEqual([
      m("failed0001", "hls/360p/seg_00000.ts"),
    ]);
    expect(keysOf("missing_media", "failed0001")).toEqual([m("failed0001", "captions/de.vtt")]);
    expect(keysOf("orphan_original", "okvideo001")).toEqual(["uploads/okvideo001/copy.mp4"]);
    expect(keysOf("legacy_ladder", "legacyts01")?.sort()).toEqual([
      m("legacyts01", "hls/360p/seg_00000.ts"),
      m("legacyts01", "hls/360p/seg_00001.ts"),
    ]);
    expect(formatReport(report)).toContain("stale_job: job ");

    // States younger than the grace period are in flight, not problems.
    const patient = await checkConsistency({ db, storage, graceSeconds: 7200 });
    const kinds = new Set(patient.problems.map((p) => p.kind));
    expect(kinds.has("stale_job")).toBe(false);
    expect(kinds.has("stuck_video")).toBe(false);
    expect(kinds.has("missing_original")).toBe(false);
  });

  it("reads every URI of a playlist, tags included, and skips absolute URLs", () => {
    expect(
      playlistUris(
        '#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:4,\nseg1.m4s\n\nhttps://cdn.example/x.ts\n',
      ),
    ).toEqual(["init.mp4", "seg1.m4s"]);
  });
});
