import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { jobs } from "@/lib/db/schema";

// The job queue is a table. No library fits: pg-boss and graphile-worker need
// LISTEN/NOTIFY, their own schemas and a server connection PGlite cannot give
// them, while this queue is one table, the SKIP LOCKED claim below, and a lease.

export type Job = typeof jobs.$inferSelect;

/** Backoff before attempt n+1: 10 s, 40 s, 90 s, ... capped at 10 minutes. */
export function backoffSeconds(attempts: number): number {
  return Math.min(600, 10 * attempts * attempts);
}

export async function enqueueTranscode(
  db: Pick<Db, "insert">,
  videoId: string,
  maxAttempts: number,
): Promise<Job> {
  const [job] = await db
    .insert(jobs)
    .values({ videoId, kind: "transcode", maxAttempts })
    .returning();
  return job!;
}

/**
 * Ends every running job's lease, so the next claim takes it over at once (as a new
 * attempt). Only for an embedded database (PGlite), which one process owns: when that
 * process starts, every running job belongs to a process that is gone, and waiting
 * out its lease would only delay the video.
 */
export async function expireAllLeases(db: Db): Promise<number> {
  const rows = await db
    .update(jobs)
    .set({ leaseExpiresAt: sql`now() - interval '1 second'` })
    .where(eq(jobs.status, "running"))
    .returning({ id: jobs.id });
  return rows.length;
}

/**
 * Claims the next runnable job: a queued one whose backoff has passed, or a running
 * one whose worker stopped renewing its lease (crashed, killed, partitioned).
 * FOR UPDATE SKIP LOCKED lets any number of workers claim at once without two of
 * them getting the same job or waiting on each other.
 */
export async function claimJob(
  db: Db,
  workerId: string,
  leaseSeconds: number,
): Promise<Job | null> {
  return db.transaction(async (tx) => {
    const candidates = (await tx.execute<{ id: string }>(sql`
      select id from jobs
      where (status = 'queued' and run_after <= now())
         or (status = 'running' and lease_expires_at < now())
      order by run_after, created_at
      limit 1
      for update skip locked`)) as { rows: { id: string }[] };
    const id = candidates.rows[0]?.id;
    if (!id) return null;
    const [job] = await tx
      .update(jobs)
      .set({
        status: "running",
        lockedBy: workerId,
        attempts: sql`${jobs.attempts} + 1`,
        leaseExpiresAt: sql`now() + make_interval(secs => ${leaseSeconds})`,
        heartbeatAt: sql`now()`,
        progress: 0,
        updatedAt: sql`now()`,
      })
      .where(eq(jobs.id, id))
      .returning();
    return job ?? null;
  });
}

/** Renews the lease and stores progress. False when the job is no longer ours. */
export async function heartbeat(
  db: Db,
  jobId: string,
  workerId: string,
  progress: number,
  leaseSeconds: number,
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({
      progress: Math.max(0, Math.min(100, progress)),
      leaseExpiresAt: sql`now() + make_interval(secs => ${leaseSeconds})`,
      heartbeatAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

/** Marks a failed attempt: back to the queue with backoff, or failed for good. */
export async function failJob(
  db: Db,
  job: Job,
  workerId: string,
  error: string,
  { retryable }: { retryable: boolean },
): Promise<"retry" | "failed" | "lost"> {
  const retry = retryable && job.attempts < job.maxAttempts;
  const rows = await db
    .update(jobs)
    .set(
      retry
        ? {
            status: "queued",
            error,
            lockedBy: null,
            leaseExpiresAt: null,
            runAfter: sql`now() + make_interval(secs => ${backoffSeconds(job.attempts)})`,
            updatedAt: sql`now()`,
          }
        : {
            status: "failed",
            error,
            lockedBy: null,
            leaseExpiresAt: null,
            finishedAt: sql`now()`,
            updatedAt: sql`now()`,
          },
    )
    .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  if (rows.length === 0) return "lost";
  return retry ? "retry" : "failed";
}

/** Gives a job back without counting the attempt (graceful shutdown). */
export async function releaseJob(db: Db, jobId: string, workerId: string): Promise<void> {
  await db
    .update(jobs)
    .set({
      status: "queued",
      lockedBy: null,
      leaseExpiresAt: null,
      attempts: sql`greatest(${jobs.attempts} - 1, 0)`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId), eq(jobs.status, "running")));
}

/** Jobs waiting or running: the autoscaling signal for workers. */
export async function queueDepth(db: Db): Promise<number> {
  const result = (await db.execute<{ n: number }>(
    sql`select count(*)::int as n from jobs where status in ('queued', 'running')`,
  )) as { rows: { n: number }[] };
  return Number(result.rows[0]?.n ?? 0);
}
