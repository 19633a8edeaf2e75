import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { and, desc, eq, gt, isNull, ne, or, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { authSessions, users } from "@/lib/db/schema";
import { env } from "@/lib/env";

/** What the sign-in route knows about the browser signing in (see auth-route.ts). */
export interface SignInContext {
  ip: string;
  userAgent: string;
  deviceId: string;
  /** Set by the credentials provider when the password was right and the session made. */
  sessionId?: string;
}

/**
 * Carries the sign-in route's context into NextAuth's `authorize`, which NextAuth calls
 * with nothing but the form. `authorize` refuses any sign-in without it, so a credentials
 * sign-in that did not pass the route's limits cannot succeed.
 */
export const signInContext = new AsyncLocalStorage<SignInContext>();

/** The JWT lifetime (config.ts); a session not seen for this long has expired. */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;
/** Ended sessions are kept this long, for "signed in from here before" (throttle.ts). */
const KEEP_ENDED_DAYS = 90;
/** last_seen_at is written at most this often per session. */
const TOUCH_EVERY_MS = 10 * 60_000;

export type SessionRow = typeof authSessions.$inferSelect;
export type EndReason =
  | "signed_out"
  | "signed_out_everywhere"
  | "ended"
  | "password_changed"
  | "password_reset"
  | "disabled";

export async function createSession(userId: string, ctx: SignInContext): Promise<string> {
  const db = await getDb();
  // The user's rows past keeping go as a new one comes: no sweep needed.
  await db
    .delete(authSessions)
    .where(
      and(
        eq(authSessions.userId, userId),
        sql`${authSessions.lastSeenAt} < now() - make_interval(days => ${KEEP_ENDED_DAYS})`,
      ),
    );
  const [row] = await db
    .insert(authSessions)
    .values({
      userId,
      ip: ctx.ip,
      deviceId: ctx.deviceId,
      userAgent: ctx.userAgent.slice(0, 400),
    })
    .returning({ id: authSessions.id });
  return row!.id;
}

// Every member and admin call checks its session row, like its user row (users.ts), and
// for the same reason keeps rows for SESSION_USER_CACHE_SECONDS: the server that ends a
// session forgets its copy at once, other servers follow within that time.
interface Cached {
  row: SessionRow | undefined;
  until: number;
}
const cache = new Map<string, Cached>();
const CACHE_MAX = 10_000;
let generation = 0;

/** The session row of `id` (ended ones included), through the cache. */
export async function findSession(id: string): Promise<SessionRow | undefined> {
  const ttlMs = env().SESSION_USER_CACHE_SECONDS * 1000;
  const now = Date.now();
  const hit = cache.get(id);
  if (hit && hit.until > now) return hit.row;
  const seen = generation;
  const db = await getDb();
  const [row] = await db.select().from(authSessions).where(eq(authSessions.id, id));
  if (row && !row.endedAt && now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db
      .update(authSessions)
      .set({ lastSeenAt: sql`now()` })
      .where(eq(authSessions.id, id))
      .catch(() => {});
  }
  if (ttlMs > 0 && seen === generation) {
    cache.delete(id);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(id, { row, until: now + ttlMs });
  }
  return row;
}

/** True when the session exists, is not ended, belongs to `userId` and has not expired. */
export function isLive(row: SessionRow | undefined, userId: string): boolean {
  return (
    row !== undefined &&
    row.endedAt === null &&
    row.userId === userId &&
    Date.now() - row.lastSeenAt.getTime() < SESSION_MAX_AGE_SECONDS * 1000
  );
}

function forget(match: (row: SessionRow | undefined, id: string) => boolean): void {
  generation += 1;
  for (const [id, entry] of cache) if (match(entry.row, id)) cache.delete(id);
}

/** Ends one session; with `userId`, only when it is that user's. True when it ended now. */
export async function endSession(id: string, reason: EndReason, userId?: string): Promise<boolean> {
  const db = await getDb();
  const ended = await db
    .update(authSessions)
    .set({ endedAt: sql`now()`, endReason: reason })
    .where(
      and(
        eq(authSessions.id, id),
        isNull(authSessions.endedAt),
        ...(userId ? [eq(authSessions.userId, userId)] : []),
      ),
    )
    .returning({ id: authSessions.id });
  forget((_, cached) => cached === id);
  return ended.length > 0;
}

/** Ends every live session of a user but `except`; returns how many ended. */
export async function endUserSessions(
  userId: string,
  reason: EndReason,
  except?: string,
): Promise<number> {
  const db = await getDb();
  const ended = await db
    .update(authSessions)
    .set({ endedAt: sql`now()`, endReason: reason })
    .where(
      and(
        eq(authSessions.userId, userId),
        isNull(authSessions.endedAt),
        ...(except ? [ne(authSessions.id, except)] : []),
      ),
    )
    .returning({ id: authSessions.id });
  forget((row, id) => row?.userId === userId && id !== except);
  return ended.length;
}

/** A user's live sessions, the most recently seen first. */
export async function listSessions(userId: string): Promise<SessionRow[]> {
  const db = await getDb();
  return db
    .select()
    .from(authSessions)
    .where(
      and(
        eq(authSessions.userId, userId),
        isNull(authSessions.endedAt),
        gt(authSessions.lastSeenAt, sql`now() - make_interval(secs => ${SESSION_MAX_AGE_SECONDS})`),
      ),
    )
    .orderBy(desc(authSessions.lastSeenAt));
}

/**
 * Whether this device or this address signed in to the account before (within the
 * days session rows are kept): while the account is under attack, those are let in.
 */
export async function isKnownSignIn(
  email: string,
  ip: string,
  deviceId: string | null,
): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ id: authSessions.id })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .where(
      and(
        eq(users.email, email.trim().toLowerCase()),
        // "unknown": no viewer address (not through the distribution), which proves nothing.
        or(
          ...(deviceId ? [eq(authSessions.deviceId, deviceId)] : []),
          ...(ip !== "unknown" ? [eq(authSessions.ip, ip)] : []),
          sql`false`,
        ),
      ),
    )
    .limit(1);
  return row !== undefined;
}
