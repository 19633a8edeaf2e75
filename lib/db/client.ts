import "server-only";
import path from "node:path";
import { mkdirSync } from "node:fs";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import * as schema from "./schema";
import { getLogger } from "@/lib/observability/logger";

/** The database, whichever driver is behind it. Callers never ask which. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  driver: "pglite" | "postgres";
  /** Runs the committed migrations (idempotent; serialized across processes on Postgres). */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; when absent, PGlite in `dataDir`. */
  url?: string;
  /** PGlite data folder; "memory://" for a throwaway database. */
  dataDir?: string;
  poolMax?: number;
}

/** Where the committed SQL lives, both in the repo and in the standalone API build. */
export function migrationsFolder(): string {
  return path.resolve(process.env.REELGATE_ROOT ?? process.cwd(), "lib/db/migrations");
}

// Arbitrary constant: the advisory lock key that serializes migrations when several
// API servers start at once against one Postgres.
const MIGRATION_LOCK = 72_501_903;

/** Opens a database. Prefer `getDatabase()`; this is for tests and scripts. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.url) {
    const { Pool } = await import("pg");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    const pool = new Pool({ connectionString: options.url, max: options.poolMax ?? 10 });
    // An idle client's network error must not crash the process; the next query reconnects.
    pool.on("error", (err) => getLogger("db").error(`idle client error: ${err.message}`));
    const db = drizzle(pool, { schema }) as unknown as Db;
    return {
      db,
      driver: "postgres",
      async migrate() {
        const client = await pool.connect();
        try {
          await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
          await migrate(drizzle(client, { schema }), { migrationsFolder: migrationsFolder() });
        } finally {
          await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
          client.release();
        }
      },
      async ping() {
        await db.execute(sql`select 1`);
      },
      close: () => pool.end(),
    };
  }

  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const dataDir = options.dataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    driver: "pglite",
    async migrate() {
      await migrate(drizzle(client, { schema }), { migrationsFolder: migrationsFolder() });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    // PGlite keeps the event loop alive until closed.
    close: () => client.close(),
  };
}
