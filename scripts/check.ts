/**
 * `npm run check [-- --json] [-- --grace=SECONDS] [-- --fix]`: does the bucket match the database?
 * `--fix` first puts every catalog image where its video's audience says (the same sync
 * that follows each change), then checks.
 * Prints what lib/ops/consistency.ts finds (a ready video without its media, orphaned
 * media or originals, a job no worker took over, a stuck video) and exits 1 when it
 * finds anything, 0 when not, 2 when it cannot check.
 *
 * On Postgres it runs any time. The embedded PGlite database has one owner process, so
 * with it this refuses to run while the preview's API server (DATA_DIR/pids.json) is up.
 */
import { readFileSync } from "node:fs";
import { EnvError, env } from "../lib/env";
import { closeDatabase, getDb } from "../lib/db";
import { getStorage } from "../lib/storage";
import { checkConsistency, formatReport } from "../lib/ops/consistency";
import { readPreviewPids } from "../lib/ops/preview-pids";
import { syncAllCatalogImages } from "../lib/catalog-images";

/** The API server named in DATA_DIR/pids.json if that process is alive and is one. */
function runningApiServer(dataDir: string): number | null {
  const pid = readPreviewPids(dataDir)?.api;
  if (!pid) return null;
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  try {
    // A stale pid file may name a pid reused by another program. Next.js renames its
    // The API server names its process "reelgate-api"; before that it is
    // "node .../api-server.mjs".
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return /reelgate-api|api-server\.mjs/.test(cmdline) ? pid : null;
  } catch {
    return pid; // no /proc (macOS): assume it is the server
  }
}

async function main(): Promise<number> {
  let config;
  try {
    config = env();
  } catch (err) {
    console.error(err instanceof EnvError ? err.message : err);
    return 2;
  }
  const graceArg = process.argv.find((a) => a.startsWith("--grace="));
  const graceSeconds = graceArg ? Number(graceArg.slice("--grace=".length)) : undefined;
  if (graceSeconds !== undefined && !(graceSeconds >= 0)) {
    console.error("--grace takes a number of seconds");
    return 2;
  }
  if (!config.DATABASE_URL) {
    const pid = runningApiServer(config.dataDir);
    if (pid) {
      console.error(
        `The preview's API server (pid ${pid}) owns the PGlite database in ${config.dataDir}; stop npm start first.`,
      );
      return 2;
    }
  }
  try {
    if (process.argv.includes("--fix")) {
      const synced = await syncAllCatalogImages({ db: await getDb(), storage: getStorage() });
      console.log(`fixed: catalog images of ${synced} video(s) synced`);
    }
    const report = await checkConsistency({
      db: await getDb(),
      storage: getStorage(),
      ...(graceSeconds !== undefined ? { graceSeconds } : {}),
    });
    console.log(
      process.argv.includes("--json") ? JSON.stringify(report, null, 2) : formatReport(report),
    );
    return report.problems.length > 0 ? 1 : 0;
  } finally {
    await closeDatabase();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`check failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
