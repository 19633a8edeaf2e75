import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { signInThrottle } from "@/lib/db/schema";

/** One counter of failed sign-ins, as a store keeps it. */
export interface ThrottleState {
  key: string;
  failures: number;
  windowStartedAt: Date;
  /** Set while the key is locked (or, for an account, restricted). */
  lockedUntil: Date | null;
}

/**
 * Where the sign-in counters live. Every API server must see the same counts, so the
 * store is shared: today a table, tomorrow perhaps Redis; callers only see this.
 */
export interface ThrottleStore {
  /** The counters of `keys` that exist. */
  read(keys: string[]): Promise<ThrottleState[]>;
  /**
   * Counts one failure against `key`, atomically: a new window starts once the old one
   * has passed, and the key is locked for the window's length when the count reaches `max`.
   */
  fail(key: string, max: number, windowSeconds: number): Promise<ThrottleState>;
  clear(key: string): Promise<void>;
  /** Counters under `prefix` with at least `minFailures` in a window still open. */
  list(prefix: string, minFailures: number, windowSeconds: number): Promise<ThrottleState[]>;
}

type Row = typeof signInThrottle.$inferSelect;

function fromRow(row: Row): ThrottleState {
  return {
    key: row.key,
    failures: row.failures,
    windowStartedAt: new Date(row.windowStartedAt),
    lockedUntil: row.lockedUntil ? new Date(row.lockedUntil) : null,
  };
}

/** The store on the `sign_in_throttle` table (Postgres or PGlite). */
export const dbThrottleStore: ThrottleStore = {
  async read(keys) {
    if (keys.length === 0) return [];
    const db = await getDb();
    const rows = await db.select().from(signInThrottle).where(inArray(signInThrottle.key, keys));
    return rows.map(fromRow);
  },

  async fail(key, max, windowSeconds) {
    const db = await getDb();
    const window = sql`make_interval(secs => ${windowSeconds})`;
    const fresh = sql`t.window_started_at + ${window} < now()`;
    const result = (await db.execute(sql`
      insert into sign_in_throttle as t (key, failures, window_started_at, locked_until)
      values (${key}, 1, now(), case when 1 >= ${max} then now() + ${window} end)
      on conflict (key) do update set
        failures = case when ${fresh} then 1 else t.failures + 1 end,
        window_started_at = case when ${fresh} then now() else t.window_started_at end,
        locked_until = case
          when (case when ${fresh} then 1 else t.failures + 1 end) >= ${max}
          then now() + ${window}
          else t.locked_until end
      returning key, failures, window_started_at, locked_until`)) as {
      rows: {
        key: string;
        failures: number;
        window_started_at: string | Date;
        locked_until: string | Date | null;
      }[];
    };
    const row = result.rows[0]!;
    return {
      key: row.key,
      failures: Number(row.failures),
      windowStartedAt: new Date(row.window_started_at),
      lockedUntil: row.locked_until ? new Date(row.locked_until) : null,
    };
  },

  async clear(key) {
    const db = await getDb();
    await db.delete(signInThrottle).where(eq(signInThrottle.key, key));
  },

  async list(prefix, minFailures, windowSeconds) {
    const db = await getDb();
    const rows = await db
      .select()
      .from(signInThrottle)
      .where(
        sql`${signInThrottle.key} like ${`${prefix}%`} and ${signInThrottle.failures} >= ${minFailures}
          and (${signInThrottle.windowStartedAt} + make_interval(secs => ${windowSeconds}) > now()
               or ${signInThrottle.lockedUntil} > now())`,
      );
    return rows.map(fromRow);
  },
};
