import "server-only";
import path from "node:path";
import { writeFileSync } from "node:fs";
import { env } from "@/lib/env";
import { closeDatabase, getDatabase } from "@/lib/db";
import { ensureFirstAdmin } from "@/lib/auth/users";
import { messageOf } from "@/lib/errors";

/** API server start-up: migrate, first admin, in-process worker on PGlite. */
export async function bootApiServer(): Promise<void> {
  const config = env();
  const database = await getDatabase();
  const admin = await ensureFirstAdmin({
    email: config.ADMIN_EMAIL,
    password: config.ADMIN_PASSWORD,
  });
  if (admin.created && admin.password) {
    // Printed once, and kept where only the operator can read it.
    const file = path.join(config.dataDir, "admin-credentials.txt");
    writeFileSync(file, `email: ${admin.email}\npassword: ${admin.password}\n`, { mode: 0o600 });
    console.log(`[reelgate] created the first admin: ${admin.email} / ${admin.password}`);
    console.log(`[reelgate] (also saved to ${file}; change it on /account after signing in)`);
  } else if (admin.created) {
    console.log(`[reelgate] created the first admin ${admin.email} (password from ADMIN_PASSWORD)`);
  }

  const { runDataMigrations } = await import("@/lib/ops/data-migrations");
  await runDataMigrations((line) => console.log(`[reelgate] ${line}`));

  // The access log keeps ACCESS_LOG_RETENTION_DAYS; any server may prune it.
  const { flushAccessLog, purgeAccessLog } = await import("@/lib/audit");
  const prune = () =>
    purgeAccessLog(config.ACCESS_LOG_RETENTION_DAYS).catch((err: unknown) => {
      console.error(`[access-log] pruning failed: ${messageOf(err)}`);
      return 0;
    });
  // Stream rows of members who never came back (the database registry only).
  const { pruneEndedStreams } = await import("@/lib/streams");
  const pruneStreams = () =>
    pruneEndedStreams(database.db, Date.now() - 86_400_000).catch((err: unknown) => {
      console.error(`[streams] pruning failed: ${messageOf(err)}`);
      return 0;
    });
  void prune();
  void pruneStreams();
  setInterval(() => void (prune(), pruneStreams()), 3600_000).unref();

  // Completions cut off by a crash or a deploy are finished, and uploads left open for
  // days removed, by whichever server looks first (lib/uploads/service.ts); a minute
  // apart is soon enough for either.
  const { resumeStalledCompletions, sweepAbandonedUploads } = await import("@/lib/uploads/service");
  const log = (line: string) => console.log(`[uploads] ${line}`);
  const tidyUploads = async () => {
    try {
      await resumeStalledCompletions(log);
      await sweepAbandonedUploads(log);
    } catch (err) {
      console.error(`[uploads] upload upkeep failed: ${messageOf(err)}`);
    }
  };
  setInterval(() => void tidyUploads(), 60_000).unref();

  if (database.driver === "pglite" || process.env.RUN_WORKER_IN_PROCESS === "1") {
    const { startWorker, expireAllLeases } = await import("@/lib/jobs");
    // PGlite has one owner: jobs still "running" are a killed process's, taken over now.
    if (database.driver === "pglite") {
      const taken = await expireAllLeases(database.db);
      if (taken > 0) console.log(`[worker] taking over ${taken} job(s) of a stopped process`);
    }
    const worker = startWorker({ concurrency: config.WORKER_CONCURRENCY });
    const stop = async () => {
      await worker.stop();
      await flushAccessLog();
      await closeDatabase();
      process.exit(0);
    };
    process.once("SIGTERM", () => void stop());
    process.once("SIGINT", () => void stop());
  }
}
