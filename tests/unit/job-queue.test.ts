import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { jobs, videos } from "@/lib/db/schema";
import {
  backoffSeconds,
  claimJob,
  enqueueTranscode,
  expireAllLeases,
  failJob,
  heartbeat,
  releaseJob,
} from "@/lib/jobs/queue";
import { testDatabase } from "./helpers/db";

let database: Awaited<ReturnType<typeof testDatabase>>;

beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await database.db.delete(videos);
});

async function newJob(id: string, maxAttempts = 3) {
  await database.db.insert(videos).values({ id, title: id, status: "queued" });
  return enqueueTranscode(database.db, id, maxAttempts);
}

describe(`job queue (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("claims each job once, oldest first", async () => {
    const a = await newJob("vidaaaaaa1");
    const b = await newJob("vidaaaaaa2");
    const first = await claimJob(database.db, "w1", 30);
    const second = await claimJob(database.db, "w2", 30);
    const none = await claimJob(database.db, "w3", 30);
    expect(first?.id).toBe(a.id);
    expect(second?.id).toBe(b.id);
    expect(none).toBeNull();
    expect(first?.status).toBe("running");
    expect(first?.attempts).toBe(1);
    expect(first?.lockedBy).toBe("w1");
  });

  it("expireAllLeases hands every running job to the next claim at once", async () => {
    await newJob("vidcccccc9");
    const held = (await claimJob(database.db, "dead-process", 3600))!;
    expect(await claimJob(database.db, "w2", 30)).toBeNull();
    expect(await expireAllLeases(database.db)).toBe(1);
    const taken = await claimJob(database.db, "w2", 30);
    expect(taken).toMatchObject({ id: held.id, lockedBy: "w2", attempts: 2, status: "running" });
  });

  it("keeps the lease with heartbeats and reports a lost one", async () => {
    await newJob("vidbbbbbb1");
    const job = (await claimJob(database.db, "w1", 30))!;
    expect(await heartbeat(database.db, job.id, "w1", 42.5, 30)).toBe(true);
    const [row] = await database.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(row?.progress).toBe(42.5);
    expect(await heartbeat(database.db, job.id, "someone-else", 50, 30)).toBe(false);
  });

  it("lets another worker take over once the lease has run out", async () => {
    await newJob("vidcccccc1");
    const job = (await claimJob(database.db, "dead-worker", 30))!;
    expect(await claimJob(database.db, "w2", 30)).toBeNull();
    await database.db
      .update(jobs)
      .set({ leaseExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(jobs.id, job.id));
    const taken = await claimJob(database.db, "w2", 30);
    expect(taken?.id).toBe(job.id);
    expect(taken?.attempts).toBe(2);
    // The dead worker, should it come back, no longer owns it.
    expect(await heartbeat(database.db, job.id, "dead-worker", 10, 30)).toBe(false);
    expect(await failJob(database.db, job, "dead-worker", "late", { retryable: true })).toBe(
      "lost",
    );
  });

  it("retries with backoff up to the limit, then fails for good", async () => {
    await newJob("viddddddd1", 2);
    let job = (await claimJob(database.db, "w1", 30))!;
    expect(await failJob(database.db, job, "w1", "boom", { retryable: true })).toBe("retry");
    const [queued] = await database.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(queued?.status).toBe("queued");
    expect(queued!.runAfter.getTime()).toBeGreaterThan(Date.now() + (backoffSeconds(1) - 2) * 1000);
    // Not claimable during the backoff.
    expect(await claimJob(database.db, "w1", 30)).toBeNull();
    await database.db
      .update(jobs)
      .set({ runAfter: sql`now()` })
      .where(eq(jobs.id, job.id));
    job = (await claimJob(database.db, "w1", 30))!;
    expect(job.attempts).toBe(2);
    expect(await failJob(database.db, job, "w1", "boom again", { retryable: true })).toBe("failed");
    const [failed] = await database.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(failed?.status).toBe("failed");
    expect(failed?.error).toBe("boom again");
  });

  it("fails a bad file at once, without retries", async () => {
    await newJob("vidfffffff1");
    const job = (await claimJob(database.db, "w1", 30))!;
    expect(await failJob(database.db, job, "w1", "no video stream", { retryable: false })).toBe(
      "failed",
    );
  });

  it("gives a job back on shutdown without counting the attempt", async () => {
    await newJob("videeeeee1");
    const job = (await claimJob(database.db, "w1", 30))!;
    await releaseJob(database.db, job.id, "w1");
    const again = await claimJob(database.db, "w2", 30);
    expect(again?.id).toBe(job.id);
    expect(again?.attempts).toBe(1);
  });

  it("never hands one job to two concurrent claimers", async () => {
    for (let i = 0; i < 6; i += 1) await newJob(`vidconc00${i}`);
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => claimJob(database.db, `w${i}`, 30)),
    );
    const ids = claims.filter(Boolean).map((j) => j!.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it("backoff grows and is capped", () => {
    expect(backoffSeconds(1)).toBeLessThan(backoffSeconds(2));
    expect(backoffSeconds(2)).toBeLessThan(backoffSeconds(3));
    expect(backoffSeconds(100)).toBe(600);
  });
});
