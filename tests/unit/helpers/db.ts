import { openDatabase, type Database } from "@/lib/db/client";

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a
 * throwaway schema-isolated database on the Postgres named by TEST_DATABASE_URL, so
 * that CI proves both drivers with the same tests.
 */
export async function testDatabase(): Promise<Database & { label: string }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const database = await openDatabase({ dataDir: "memory://" });
    await database.migrate();
    return Object.assign(database, { label: "pglite" });
  }
  const { Client } = await import("pg");
  const name = `reelgate_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const database = await openDatabase({ url: testUrl.toString(), poolMax: 5 });
  await database.migrate();
  const close = database.close.bind(database);
  return Object.assign(database, {
    label: "postgres",
    async close() {
      await close();
      const cleanup = new Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  });
}

/** An uploads row for a completed upload of `videoId` whose original is `storageKey`. */
export function completedUploadRow(videoId: string, storageKey: string) {
  return {
    id: `up${videoId}`,
    videoId,
    storageKey,
    multipartId: "done",
    fileName: "a.mp4",
    contentType: "video/mp4",
    sizeBytes: 1,
    partSize: 1,
    status: "completed" as const,
  };
}

/**
 * Makes `database` the one the app's modules get from getDb() (lib/db/index.ts keeps it
 * on globalThis), for tests of server modules. Returns the undo, for afterAll.
 */
export function useAsAppDatabase(database: Database): () => void {
  const slot = globalThis as { __reelgateDb?: Promise<Database> };
  slot.__reelgateDb = Promise.resolve(database);
  return () => {
    slot.__reelgateDb = undefined;
  };
}
