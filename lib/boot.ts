import "server-only";
import path from "node:path";
import { writeFileSync } from "node:fs";
import { env } from "@/lib/env";
import { closeDatabase, getDatabase } from "@/lib/db";
import { ensureFirstAdmin } from "@/lib/auth/users";
import { messageOf } from "@/lib/errors";
import { getLogger } from "@/lib/observability/logger";

/** API server start-up: migrate, first admin, in-process worker on PGlite. */
export async function bootApiServer(): Promise<void> {
  const config = env();
  const log = getLogger();
  const database = await getDatabase();
  const admin = await ensureFirstAdmin({
    email: config.ADMIN_EMAIL,
    password: config.ADMIN_PASSWORD,
  });
  if (admin.created && admin.password) {
    // Printed once, and kept where only the operator can read it.
    const file = path.join(config.dataDir, "admin-credentials.txt");
    writeFileSync(file, `email: ${admin.email}\npassword: ${admin.password}\n`, { mode: 0o600 });
    // The supervisor (scripts/start.ts) shows this line on the terminal and writes it to
    // DATA_DIR/logs without the password (FIRST_ADMIN_EVENT).
    log.info(
      { event: "first-admin", email: admin.email },
      `created the first admin: ${admin.email} / ${admin.password}`,
    );
    log.info(`(also saved to ${file}; change it on /account after signing in)`);
  } else if (admin.created) {
    log.info(`created the first admin ${admin.email} (password from ADMIN_PASSWORD)`);
  }

  const { runDataMigrations } = await import("@/lib/ops/data-migrations");
  const migrationsLog = getLogger("data-migrations");
  await runDataMigrations((line) => migrationsLog.info(line));

  // The access log keeps ACCESS_LOG_RETENTION_DAYS; any server may prune it.
  const { flushAccessLog, purgeAccessLog } = await import("@/lib/audit");
  const prune = () =>
    purgeAccessLog(config.ACCESS_LOG_RETENTION_DAYS).catch((err: unknown) => {
      getLogger("access-log").error(`pruning failed: ${messageOf(err)}`);
      return 0;
    });
  // Stream rows of members who never came back (the database registry only).
  const { pruneEndedStreams } = await import("@/lib/streams");
  const pruneStreams = () =>
    pruneEndedStreams(database.db, Date.now() - 86_400_000).catch((err: unknown) => {
      getLogger("streams").error(`pruning failed: ${messageOf(err)}`);
      return 0;
    });
  void prune();
  void pruneStreams();
  setInterval(() => void (prune(), pruneStreams()), 3600_000).unref();

  // Completions cut off by a crash or a deploy are finished, and uploads left open for
  // days removed, by whichever server looks first (lib/uploads/service.ts); a minute
  // apart is soon enough for either.
  const { resumeStalledCompletions, sweepAbandonedUploads } = await import("@/lib/uploads/service");
  const uploadsLog = getLogger("uploads");
  const logUploads = (line: string) => uploadsLog.info(line);
  const tidyUploads = async () => {
    try {
      await resumeStalledCompletions(logUploads);
      await sweepAbandonedUploads(logUploads);
    } catch (err) {
      uploadsLog.error(`upload upkeep failed: ${messageOf(err)}`);
    }
  };
  setInterval(() => void tidyUploads(), 60_000).unref();
  const { startObservability } = await import("@/lib/observability/start-observability");
  startObservability();
  // Playback views past ANALYTICS_RETENTION_DAYS go, checked hourly by every server.
  const { pruneViews } = await import("@/lib/analytics");
  const analyticsLog = getLogger("analytics");
  const pruneAnalytics = () =>
    pruneViews().then(
      (n) => n > 0 && analyticsLog.info(`deleted ${n} playback view(s) past retention`),
      (err: unknown) => analyticsLog.error(`pruning playback views failed: ${messageOf(err)}`),
    );
  setInterval(() => void pruneAnalytics(), 3_600_000).unref();

  if (database.driver === "pglite" || process.env.RUN_WORKER_IN_PROCESS === "1") {
    const { startWorker, expireAllLeases } = await import("@/lib/jobs");
    // PGlite has one owner: jobs still "running" are a killed process's, taken over now.
    if (database.driver === "pglite") {
      const taken = await expireAllLeases(database.db);
      if (taken > 0) getLogger("worker").info(`taking over ${taken} job(s) of a stopped process`);
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
