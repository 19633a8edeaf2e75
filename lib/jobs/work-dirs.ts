import "server-only";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { inArray, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { jobs } from "@/lib/db/schema";
import type { Job } from "./queue";

// Each attempt at a job works in its own folder, DATA_DIR/tmp/transcode/<job id>.<attempt>:
// the original copied from storage and ffmpeg's outputs, gigabytes for a long video. The
// attempt removes it when it ends, but a worker killed with SIGKILL (or a machine that
// lost power) cannot, and its ffmpeg keeps running as an orphan, writing there. So
// workers sweep: when they start and before each job they claim, every folder whose
// attempt is no longer running (its job finished, or another attempt holds it now) is
// removed, after killing any process still working in it.

const NAME = /^([0-9a-f-]{36})\.(\d+)$/;

// turbopackIgnore (below): run-time folders, not files the server image should carry.

/** Where the attempts' work folders go. */
export function workRoot(dataDir: string): string {
  return path.join(/*turbopackIgnore: true*/ dataDir, "tmp", "transcode");
}

/** The work folder of one attempt (`attempts` counts the attempt being made). */
export function workDirFor(root: string, job: Pick<Job, "id" | "attempts">): string {
  return path.join(/*turbopackIgnore: true*/ root, `${job.id}.${job.attempts}`);
}

/**
 * Removes the work folders of attempts that no worker runs any more. A folder is kept
 * only while its job is running, with that attempt number and an unexpired lease: the
 * attempt of a live worker, maybe in another process sharing DATA_DIR. Returns the
 * names of the folders removed.
 */
export async function sweepWorkDirs(db: Db, root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  if (names.length === 0) return [];
  const ids = [...new Set(names.map((n) => NAME.exec(n)?.[1]).filter((id) => id !== undefined))];
  const live = new Set<string>();
  if (ids.length > 0) {
    // Compared with the database's clock, which set the leases.
    const rows = await db
      .select({
        id: jobs.id,
        attempts: jobs.attempts,
        live: sql<boolean>`${jobs.status} = 'running' and ${jobs.leaseExpiresAt} > now()`,
      })
      .from(jobs)
      .where(inArray(jobs.id, ids));
    for (const row of rows) if (row.live) live.add(`${row.id}.${row.attempts}`);
  }
  const removed: string[] = [];
  for (const name of names) {
    if (live.has(name)) continue;
    const dir = path.join(/*turbopackIgnore: true*/ root, name);
    await killProcessesIn(dir);
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    removed.push(name);
  }
  return removed;
}

/**
 * SIGKILLs the processes (ffmpeg, ffprobe) whose command line names a path inside `dir`.
 * Linux only (/proc); elsewhere an orphan runs to its end and fails to write.
 */
export async function killProcessesIn(dir: string): Promise<number> {
  let pids: string[];
  try {
    pids = (await readdir("/proc")).filter((n) => /^\d+$/.test(n));
  } catch {
    return 0;
  }
  const marker = `${dir}${path.sep}`;
  let killed = 0;
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (!cmdline.includes(marker)) continue;
    try {
      process.kill(Number(pid), "SIGKILL");
      killed++;
    } catch {
      // gone meanwhile, or not ours to kill
    }
  }
  return killed;
}
