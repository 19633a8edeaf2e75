import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { openDatabase, type Database } from "@/lib/db/client";
import { jobs, uploads, videos } from "@/lib/db/schema";
import { enqueueTranscode } from "@/lib/jobs/queue";
import { playlistUris } from "@/lib/ops/consistency";
import { makeTestVideo } from "../support/test-video";
import { waitFor } from "../support/wait";
import { completedUploadRow } from "./helpers/db";

// Two real worker processes (`npm run worker`) against one Postgres: the first is
// killed with SIGKILL in the middle of a transcode; the second takes the job over
// once the lease runs out and finishes it. Needs Postgres (CI sets TEST_DATABASE_URL):
// with PGlite only one process may open the database.

const url = process.env.TEST_DATABASE_URL;
const root = path.resolve(import.meta.dirname, "../..");

function files(dir: string, base = ""): string[] {
  if (!existsSync(path.join(dir, base))) return [];
  return readdirSync(path.join(dir, base), { withFileTypes: true }).flatMap((e) => {
    const rel = base ? `${base}/${e.name}` : e.name;
    return e.isDirectory() ? files(dir, rel) : [rel];
  });
}

describe.skipIf(!url)("a killed worker's job is finished by another worker", () => {
  let tmp: string;
  let database: Database;
  let dbUrl: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const { Client } = await import("pg");
    const name = `reelgate_takeover_${process.pid}`;
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(url!);
    u.pathname = `/${name}`;
    dbUrl = u.toString();
    database = await openDatabase({ url: dbUrl });
    await database.migrate();
    tmp = mkdtempSync(path.join(os.tmpdir(), "takeover-"));
  }, 60_000);

  afterAll(async () => {
    // The whole group: killing npx alone would leave the worker it started running.
    for (const c of children) {
      try {
        process.kill(-c.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await database?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  function startWorker(tag: string): ChildProcess {
    const child = spawn("npx", ["tsx", "--conditions=react-server", "scripts/worker.ts"], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: dbUrl,
        DATA_DIR: tmp,
        JOB_LEASE_SECONDS: "4",
        NODE_ENV: "production",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    child.stdout?.on("data", (d: Buffer) => process.stdout.write(`[${tag}] ${d.toString()}`));
    child.stderr?.on("data", (d: Buffer) => process.stdout.write(`[${tag}] ${d.toString()}`));
    children.push(child);
    return child;
  }

  it("survives kill -9 mid-transcode with one set of outputs and the original kept", async () => {
    const videoId = "takeover0001";
    const key = `uploads/${videoId}/original.mp4`;
    const original = path.join(tmp, "bucket", key);
    mkdirSync(path.dirname(original), { recursive: true });
    makeTestVideo(original, { seconds: 30, size: "1280x720" });
    const { db } = database;
    await db.insert(videos).values({ id: videoId, title: "takeover", status: "queued" });
    await db.insert(uploads).values(completedUploadRow(videoId, key));
    const job = await enqueueTranscode(db, videoId, 3);

    const first = startWorker("w1");
    await waitFor(
      "the first worker to make progress",
      async () => {
        const [row] = await db.select().from(jobs).where(eq(jobs.id, job.id));
        return row && row.status === "running" && row.progress > 5 ? row : undefined;
      },
      120_000,
    );
    process.kill(-first.pid!, "SIGKILL");

    startWorker("w2");
    const done = await waitFor(
      "the second worker to finish",
      async () => {
        const [row] = await db.select().from(jobs).where(eq(jobs.id, job.id));
        return row?.status === "succeeded" || row?.status === "failed" ? row : undefined;
      },
      240_000,
    );
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toBe(2);

    const [video] = await db.select().from(videos).where(eq(videos.id, videoId));
    expect(video?.status).toBe("ready");
    expect(video?.renditions.length).toBeGreaterThanOrEqual(2);

    // Exactly the files one ladder needs: every segment and init segment a playlist names,
    // nothing else.
    const media = files(path.join(tmp, "bucket", "media/videos", videoId));
    expect(media).toContain("hls/master.m3u8");
    expect(media).toContain("poster.jpg");
    const { readFileSync } = await import("node:fs");
    const named = new Set(["hls/master.m3u8", "poster.jpg"]);
    for (const r of video!.renditions) {
      named.add(r.playlist);
      const text = readFileSync(
        path.join(tmp, "bucket", "media/videos", videoId, r.playlist),
        "utf8",
      );
      for (const uri of playlistUris(text))
        named.add(path.posix.join(path.posix.dirname(r.playlist), uri));
    }
    expect(media.filter((f) => !f.startsWith(".")).sort()).toEqual([...named].sort());
    expect(existsSync(original)).toBe(true);
  }, 420_000);
});
