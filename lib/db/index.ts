import "server-only";
import path from "node:path";
import { env } from "@/lib/env";
import { openDatabase, type Database } from "./client";

export type { Db, Database } from "./client";
export { openDatabase } from "./client";
export * as schema from "./schema";

// One database per process, created on first use and kept on globalThis: Next.js may
// evaluate this module more than once (route bundles, instrumentation), and PGlite
// must be opened exactly once per data folder or it corrupts it.
const globalForDb = globalThis as unknown as { __reelgateDb?: Promise<Database> };

/** The process's database, migrated. */
export function getDatabase(): Promise<Database> {
  globalForDb.__reelgateDb ??= (async () => {
    const config = env();
    const database = await openDatabase({
      url: config.DATABASE_URL,
      dataDir: path.join(config.dataDir, "db"),
      poolMax: config.DATABASE_POOL_MAX,
    });
    await database.migrate();
    return database;
  })();
  return globalForDb.__reelgateDb;
}

/** Shortcut for the query builder. */
export async function getDb() {
  return (await getDatabase()).db;
}

/** Closes the process's database (tests, graceful shutdown). */
export async function closeDatabase(): Promise<void> {
  const pending = globalForDb.__reelgateDb;
  globalForDb.__reelgateDb = undefined;
  if (pending) await (await pending).close();
}
