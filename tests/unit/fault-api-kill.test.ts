import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/lib/db/client";
import { jobs, uploads, videos } from "@/lib/db/schema";
import { createLocalStorage } from "@/lib/storage";
import { checkConsistency } from "@/lib/ops/consistency";
import { makeTestVideo } from "../support/test-video";
import { waitFor } from "../support/wait";
import {
  apiServerPid,
  createMember,
  issueMediaCookies,
  mediaCookies,
  signIn,
  startPreview,
  type Preview,
} from "../support/preview";
import type { AccessLogResponse } from "@/lib/contract/types";
import {
  api,
  completeUpload,
  sendParts,
  startUpload,
  type AdminVideoState,
  type UploadState,
} from "../support/upload";

// Fault tests against the real preview (`npm start`: PGlite, so the worker runs inside
// the API server). One upload goes through three crashes:
//   1. kill -9 of the API server in the middle of the upload (a part half sent):
//      scripts/start.ts restarts it, the parts sent are still listed, the upload resumes;
//   2. kill -9 of the API server in the middle of the transcode: the restarted server
//      takes the job over as it starts (PGlite has one owner, so a job still running
//      then is a dead process's; the 10-minute lease set here is not waited out), and
//      stops the killed attempt's orphaned ffmpeg;
//   3. kill -9 of the whole preview (every process of `npm start`) mid-transcode, then
//      `npm start` again on the same DATA_DIR: PGlite reopens, the job completes.
// In the end: one video, one upload, one job, succeeded once after three attempts, the
// video streams with signed cookies, and the consistency checker finds nothing.

const PORT = Number(process.env.FAULT_TEST_PORT ?? 3147);
const PART_BYTES = 5 * 1024 * 1024;
const env = {
  // Longer than any wait below: a takeover must not come from the lease running out.
  JOB_LEASE_SECONDS: "600",
  // Two attempts die here; the third must still be allowed.
  JOB_MAX_ATTEMPTS: "5",
  UPLOAD_PART_BYTES: String(PART_BYTES),
};

const hasProc = existsSync("/proc/self/cmdline");

/** The parent of a process, from /proc/<pid>/stat: "pid (comm) state ppid ...". */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm may hold spaces and parentheses, so split after the last ")".
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined; // ended, or no /proc
  }
}

/** Processes whose command line mentions `text`, with their parent. */
function processesMentioning(text: string): { pid: number; ppid?: number; cmd: string }[] {
  if (!hasProc) return [];
  const found = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const cmd = (() => {
      try {
        return readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").join(" ");
      } catch {
        return ""; // ended meanwhile
      }
    })();
    if (cmd.includes(text)) found.push({ pid: Number(name), ppid: parentOf(Number(name)), cmd });
  }
  return found;
}

describe("kill -9 of the API server, the worker and the whole preview", () => {
  let dataDir: string;
  let sourceDir: string;
  let bytes: Buffer<ArrayBuffer>;
  let preview: Preview | undefined;
  let session: string;
  let upload: UploadState;
  // The steps build on each other; once one fails, the next ones stop at once.
  let stepsDone = 0;
  const started = Date.now();

  const checkCommand = () =>
    spawnSync("npm", ["run", "-s", "check"], {
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: "utf8",
      timeout: 120_000,
    });
  const video = () =>
    api<AdminVideoState>(preview!.base, session, "GET", `/api/admin/videos/${upload.videoId}`);
  const ffmpegs = () =>
    processesMentioning(dataDir).filter((p) => /\bff(mpeg|probe)\b/.test(p.cmd));

  /** SIGKILLs the API server alone and waits until start.ts has started a new one. */
  async function killApiServer(): Promise<{ before: number; after: number }> {
    const before = apiServerPid(dataDir)!;
    expect(before).toBeGreaterThan(0);
    // (The API server renames its process "reelgate-api", so it is found by pid, not by name.)
    const supervisor = parentOf(before);
    if (hasProc) expect(supervisor, "the API server's parent, scripts/start.ts").toBeDefined();
    process.kill(before, "SIGKILL");
    const after = await waitFor(
      "scripts/start.ts to restart the API server",
      async () => {
        const pid = apiServerPid(dataDir);
        if (!pid || pid === before) return undefined;
        const res = await fetch(`${preview!.base}/api/health`).catch(() => null);
        await res?.body?.cancel();
        return res?.ok ? pid : undefined;
      },
      120_000,
    );
    // Restarted by the same supervisor, not by anything in this test.
    if (hasProc) expect(parentOf(after)).toBe(supervisor);
    return { before, after };
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "reelgate-fault-"));
    sourceDir = mkdtempSync(path.join(os.tmpdir(), "reelgate-fault-src-"));
    const file = makeTestVideo(path.join(sourceDir, "source.mp4"), {
      seconds: 20,
      size: "1280x720",
    });
    bytes = readFileSync(file);
    // The first start builds when the builds are missing or stale (npm test builds first).
    preview = await startPreview(PORT, { dataDir, env });
    session = await signIn(preview.base, preview.admin.email, preview.admin.password);
  }, 660_000);

  afterAll(async () => {
    await preview?.kill();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (sourceDir) rmSync(sourceDir, { recursive: true, force: true });
    console.log(`fault tests: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 60_000);

  it("kill -9 of the API server mid-upload: after the restart the sent parts are listed and the upload completes", async () => {
    const base = preview!.base;
    upload = await startUpload(base, session, "source.mp4", bytes, "Fault test");
    expect(upload.partCount).toBeGreaterThanOrEqual(3);
    const sent = await sendParts(base, session, upload, bytes, [1, 2]);

    // Part 3 is half sent, and then the connection stalls, when the server dies.
    const { parts } = await api<{ parts: { url: string }[] }>(
      base,
      session,
      "POST",
      `/api/admin/uploads/${upload.id}/parts`,
      { partNumbers: [3] },
    );
    const half = bytes.subarray(2 * PART_BYTES, 2 * PART_BYTES + PART_BYTES / 2);
    const abort = new AbortController();
    const inflight = fetch(new URL(parts[0]!.url, base), {
      method: "PUT",
      headers: { cookie: session, "content-type": "application/octet-stream" },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(half);
        },
        pull: () => new Promise<void>(() => {}),
      }),
      duplex: "half",
      signal: abort.signal,
    } as RequestInit).then(
      (res) => res.status,
      () => "failed",
    );
    // The API server is writing the part: its temp file is there.
    const multipart = path.join(dataDir, "bucket", ".multipart");
    await waitFor(
      "the API server to receive part of part 3",
      () =>
        readdirSync(multipart, { recursive: true, encoding: "utf8" }).some((f) =>
          /(^|\/)\.3\.[0-9a-f]+\.tmp$/.test(f),
        ) || undefined,
      60_000,
    );

    await killApiServer();
    abort.abort();
    expect(await inflight).not.toBe(200);

    // The session survives the restart (its key is in DATA_DIR), and so does the upload.
    const state = await api<UploadState>(base, session, "GET", `/api/admin/uploads/${upload.id}`);
    expect(state.status).toBe("open");
    const listed = state.uploadedParts.map((p) => ({ partNumber: p.partNumber, etag: p.etag }));
    expect(listed).toEqual(sent);
    const rest = Array.from({ length: upload.partCount - 2 }, (_, i) => i + 3);
    const more = await sendParts(base, session, upload, bytes, rest);
    await completeUpload(base, session, upload.id, [...listed, ...more]);
    const v = await video();
    expect(["queued", "processing"]).toContain(v.status);
    // Completing removed the multipart folder, the interrupted part's temp file with it.
    expect(readdirSync(multipart)).toEqual([]);
    stepsDone = 1;
  }, 240_000);

  it("kill -9 of the API server mid-transcode: the restarted server takes the job over and stops the old ffmpeg", async () => {
    expect(stepsDone, "the upload step passed").toBe(1);
    await waitFor(
      "the first attempt to transcode",
      async () => {
        const v = await video();
        if (v.status === "failed") throw new Error(`transcode failed: ${v.error}`);
        return v.job?.status === "running" && v.job.progress > 0 ? v : undefined;
      },
      180_000,
    );
    const orphans = ffmpegs();
    if (hasProc) expect(orphans.length).toBeGreaterThan(0);

    const { after } = await killApiServer();
    const taken = await waitFor(
      "the restarted server to take the job over",
      async () => {
        const v = await video();
        if (v.status === "failed") throw new Error(`transcode failed: ${v.error}`);
        return v.job?.status === "running" && v.job.attempts === 2 && v.job.progress > 0
          ? v
          : undefined;
      },
      180_000,
    );
    expect(taken.status).toBe("processing");
    // The killed attempt's ffmpeg outlived its parent; the new worker's sweep killed it,
    // and removed its work folder. What runs now is the new server's own.
    await waitFor(
      "the orphaned ffmpeg to be stopped",
      () => (ffmpegs().every((p) => p.ppid === after) ? true : undefined),
      30_000,
    );
    for (const p of orphans) expect(ffmpegs().map((f) => f.pid)).not.toContain(p.pid);
    const work = readdirSync(path.join(dataDir, "tmp", "transcode"));
    expect(work).toHaveLength(1);
    expect(work[0]).toMatch(/\.2$/);
    stepsDone = 2;
  }, 420_000);

  it("kill -9 of the whole preview mid-transcode, npm start again: the job completes once, nothing lost or left over", async () => {
    expect(stepsDone, "the takeover step passed").toBe(2);
    await preview!.kill();
    preview = undefined;
    expect(ffmpegs()).toEqual([]);
    preview = await startPreview(PORT, { dataDir, env, startTimeoutMs: 180_000 });
    const base = preview.base;

    const ready = await waitFor(
      "the video to be ready",
      async () => {
        const v = await video();
        if (v.status === "failed") throw new Error(`transcode failed: ${v.error}`);
        return v.status === "ready" ? v : undefined;
      },
      400_000,
    );
    expect(ready.job).toMatchObject({ status: "succeeded", attempts: 3, progress: 100 });

    // It streams with signed cookies, and only with them.
    await api(base, session, "PATCH", `/api/admin/videos/${upload.videoId}`, { published: true });
    const cookies = await mediaCookies(base, session, upload.videoId);
    const master = `${base}/media/videos/${upload.videoId}/hls/master.m3u8`;
    const get = (url: string, cookie?: string) => fetch(url, cookie ? { headers: { cookie } } : {});
    const masterRes = await get(master, cookies);
    expect(masterRes.status).toBe(200);
    const variant = new URL(
      (await masterRes.text()).split("\n").find((l) => l && !l.startsWith("#"))!,
      master,
    ).toString();
    const variantRes = await get(variant, cookies);
    expect(variantRes.status).toBe(200);
    const segment = new URL(
      (await variantRes.text()).split("\n").find((l) => l && !l.startsWith("#"))!,
      variant,
    ).toString();
    const segmentRes = await get(segment, cookies);
    expect(segmentRes.status).toBe(200);
    expect((await segmentRes.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const unsigned = await get(master);
    await unsigned.body?.cancel();
    expect(unsigned.status).toBe(403);

    // A member watching when the API server is killed: the media goes on (the edge needs
    // no API), the grant issued before the kill is in the access log (written within a
    // second, so this waits two), and the first renewal after the restart is granted.
    await createMember(base, session, "fault-member@example.test", "fault-member-password");
    const member = await signIn(base, "fault-member@example.test", "fault-member-password");
    const issued = await issueMediaCookies(base, member, upload.videoId);
    const memberSession = `${member}; ${issued.device}`;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const { before } = await killApiServer();
    expect(before).toBeGreaterThan(0);
    const during = await get(segment, issued.cookie);
    await during.body?.cancel();
    expect(during.status).toBe(200);
    const accessLog = await api<AccessLogResponse>(
      base,
      session,
      "GET",
      `/api/admin/access-log?videoId=${upload.videoId}`,
    );
    expect(accessLog.entries.map((e) => e.userEmail)).toContain("fault-member@example.test");
    const renewed = await issueMediaCookies(base, memberSession, upload.videoId);
    const afterRenewal = await get(master, renewed.cookie);
    await afterRenewal.body?.cancel();
    expect(afterRenewal.status).toBe(200);

    // No work folder and no ffmpeg left behind by any of the three attempts.
    expect(readdirSync(path.join(dataDir, "tmp", "transcode"))).toEqual([]);
    expect(ffmpegs()).toEqual([]);
    // One completion in the log, from the third attempt.
    const log = readFileSync(path.join(dataDir, "logs", "reelgate.log"), "utf8");
    expect(log.match(/"msg":"job \S+ done in/g)).toHaveLength(1);

    // `npm run check` does not open a PGlite database the running API server owns.
    const refused = checkCommand();
    expect(refused.status, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/owns the PGlite database/);

    // Stopped cleanly, the database is opened here to compare it with the bucket.
    await preview.stop();
    preview = undefined;
    const database = await openDatabase({ dataDir: path.join(dataDir, "db") });
    try {
      const { db } = database;
      expect(await db.select({ status: videos.status }).from(videos)).toEqual([
        { status: "ready" },
      ]);
      expect(await db.select({ status: uploads.status }).from(uploads)).toEqual([
        { status: "completed" },
      ]);
      expect(await db.select({ status: jobs.status, attempts: jobs.attempts }).from(jobs)).toEqual([
        { status: "succeeded", attempts: 3 },
      ]);
      const report = await checkConsistency({
        db,
        storage: createLocalStorage(path.join(dataDir, "bucket")),
        graceSeconds: 0,
      });
      expect(report.problems).toEqual([]);
      expect(report.checked.mediaObjects).toBeGreaterThan(10);
      expect(report.checked.originals).toBe(1);
    } finally {
      await database.close();
    }
    // The operator's command agrees.
    const check = checkCommand();
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/1 videos, 1 uploads, 0 queued or running jobs/);
    expect(check.stdout).toMatch(/no problems found/);
  }, 600_000);
});
