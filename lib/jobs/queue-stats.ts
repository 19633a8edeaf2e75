import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db";

/** The queue as every worker sees it (read from the shared table, so any process can tell). */
export interface QueueStats {
  /** Seconds the oldest claimable queued job has waited; 0 when none waits. */
  oldestQueuedAgeSeconds: number;
  byStatus: Record<"queued" | "running" | "succeeded" | "failed", number>;
}

export async function queueStats(db: Db): Promise<QueueStats> {
  const result = (await db.execute<{ status: string; n: number; age: number | null }>(sql`
    select status, count(*)::int as n,
      extract(epoch from now() - min(run_after) filter (where run_after <= now()))::float8 as age
    from jobs group by status`)) as {
    rows: { status: string; n: number; age: number | null }[];
  };
  const stats: QueueStats = {
    oldestQueuedAgeSeconds: 0,
    byStatus: { queued: 0, running: 0, succeeded: 0, failed: 0 },
  };
  for (const row of result.rows) {
    if (row.status in stats.byStatus)
      stats.byStatus[row.status as keyof QueueStats["byStatus"]] = Number(row.n);
    if (row.status === "queued") stats.oldestQueuedAgeSeconds = Math.max(0, Number(row.age ?? 0));
  }
  return stats;
}
