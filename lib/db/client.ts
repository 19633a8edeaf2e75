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
  /**
   * Subscribes to a NOTIFY channel. `onReady` runs once the subscription is live (again,
   * after a lost connection is restored); `onLost` when notices may have been missed.
   * Resolves to an unsubscribe function.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface ListenHandlers {
  onNotify(payload: string): void;
  onReady(): void;
  onLost(): void;
}

const CHANNEL = /^[a-z_][a-z0-9_]*$/;

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
    const listeners = new Set<() => Promise<void>>();
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
      async listen(channel, handlers) {
        const stop = await listenOnPostgres(options.url!, channel, handlers);
        listeners.add(stop);
        return async () => {
          listeners.delete(stop);
          await stop();
        };
      },
      async close() {
        await Promise.all([...listeners].map((stop) => stop()));
        listeners.clear();
        await pool.end();
      },
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
    async listen(channel, handlers) {
      if (!CHANNEL.test(channel)) throw new Error(`bad channel name: ${channel}`);
      // One connection: PGlite delivers the notices of its own session.
      const unlisten = await client.listen(channel, (payload) => handlers.onNotify(payload));
      handlers.onReady();
      return () => unlisten();
    },
    // PGlite keeps the event loop alive until closed.
    close: () => client.close(),
  };
}

/** How long a lost listening connection waits before it connects again. */
const RELISTEN_MS = 1000;

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other queries).
 * TCP keep-alive notices a dead peer; on any error or end the subscriber is told that
 * notices may be lost, and the connection is made again until unsubscribed.
 */
async function listenOnPostgres(
  url: string,
  channel: string,
  handlers: ListenHandlers,
): Promise<() => Promise<void>> {
  if (!CHANNEL.test(channel)) throw new Error(`bad channel name: ${channel}`);
  const { Client } = await import("pg");
  const log = getLogger("db");
  let stopped = false;
  let current: InstanceType<typeof Client> | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const lost = (client: InstanceType<typeof Client>, why: string) => {
    if (current !== client) return;
    current = null;
    handlers.onLost();
    client.end().catch(() => {});
    if (stopped) return;
    log.warn(`listen ${channel}: ${why}; again in ${RELISTEN_MS} ms`);
    retry = setTimeout(() => void connect(), RELISTEN_MS);
    retry.unref?.();
  };

  const connect = async (): Promise<void> => {
    const client = new Client({ connectionString: url, keepAlive: true });
    current = client;
    client.on("notification", (n) => {
      if (n.channel === channel) handlers.onNotify(n.payload ?? "");
    });
    client.on("error", (err) => lost(client, err.message));
    client.on("end", () => lost(client, "connection ended"));
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      if (current === client && !stopped) handlers.onReady();
    } catch (err) {
      lost(client, err instanceof Error ? err.message : String(err));
    }
  };

  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const client = current;
    current = null;
    await client?.end().catch(() => {});
  };
}
