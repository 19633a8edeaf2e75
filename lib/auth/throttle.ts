import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { signInThrottle } from "@/lib/db/schema";
import { env } from "@/lib/env";

/**
 * Failed sign-in limits, per account and per client address. The counters live in
 * the database so that every API server behind the load balancer agrees.
 *
 * A key is locked for SIGNIN_WINDOW_SECONDS once it collects SIGNIN_MAX_FAILURES
 * failures inside one window. Locking the account key as well as the address key
 * stops both one address guessing many passwords and many addresses guessing one.
 */
export function throttleKeys(email: string, ip: string): string[] {
  return [`account:${email.trim().toLowerCase()}`, `address:${ip}`];
}

function limitFor(key: string): number {
  const config = env();
  return key.startsWith("address:")
    ? config.SIGNIN_MAX_FAILURES_PER_ADDRESS
    : config.SIGNIN_MAX_FAILURES;
}

/** Seconds until the first of `keys` unlocks, or 0 when none is locked. */
export async function lockedFor(keys: string[], now = new Date()): Promise<number> {
  const db = await getDb();
  let wait = 0;
  for (const key of keys) {
    const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.key, key));
    if (row?.lockedUntil && row.lockedUntil > now) {
      wait = Math.max(wait, Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000));
    }
  }
  return wait;
}

/** Counts one failure against every key (atomic upsert). */
export async function recordFailure(keys: string[]): Promise<void> {
  const window = env().SIGNIN_WINDOW_SECONDS;
  const db = await getDb();
  const windowInterval = sql`make_interval(secs => ${window})`;
  for (const key of keys) {
    const max = limitFor(key);
    // A new window starts when the old one has passed; the lock is set the moment
    // the count reaches the limit.
    await db.execute(sql`
      insert into sign_in_throttle as t (key, failures, window_started_at, locked_until)
      values (${key}, 1, now(), case when 1 >= ${max} then now() + ${windowInterval} end)
      on conflict (key) do update set
        failures = case when t.window_started_at + ${windowInterval} < now() then 1 else t.failures + 1 end,
        window_started_at = case when t.window_started_at + ${windowInterval} < now() then now() else t.window_started_at end,
        locked_until = case
          when (case when t.window_started_at + ${windowInterval} < now() then 1 else t.failures + 1 end) >= ${max}
          then now() + ${windowInterval}
          else t.locked_until end`);
  }
}

/** A successful sign-in clears the account's counter (not the address's). */
export async function recordSuccess(email: string): Promise<void> {
  const db = await getDb();
  await db.delete(signInThrottle).where(eq(signInThrottle.key, throttleKeys(email, "")[0]!));
}
