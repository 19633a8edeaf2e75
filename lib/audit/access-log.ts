import "server-only";
import { and, desc, eq, lt, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { mediaGrants } from "@/lib/db/schema";
import { messageOf } from "@/lib/errors";
import { getLogger } from "@/lib/observability/logger";
import type { AccessLogEntry } from "@/lib/contract/types";

/** One credential handed out: a playback's cookies (or their renewal), or a signed URL. */
export interface GrantEvent {
  /** The playback it belongs to; renewals of one playback share it. */
  grantKey: string;
  userId: string;
  userEmail: string;
  videoId: string;
  kind: "cookies" | "url";
  streamId: string | null;
  address: string | null;
  userAgent: string | null;
  at: Date;
}

type Pending = GrantEvent & { firstAt: Date; count: number };

// Issuance must not wait for the database: events are kept here and written in one
// statement a second later, renewals of one playback folded into one row on the way.
// A crash loses at most that second of the trail, never a credential.
const FLUSH_EVERY_MS = 1000;
const FLUSH_AT_SIZE = 500;
/** Beyond this (the database has been down a while) new events are dropped and counted. */
const MAX_PENDING = 50_000;

const state = globalThis as typeof globalThis & {
  __reelgateAccessLog?: {
    pending: Map<string, Pending>;
    timer: ReturnType<typeof setTimeout> | null;
    flushing: Promise<void> | null;
    dropped: number;
  };
};

function log() {
  state.__reelgateAccessLog ??= { pending: new Map(), timer: null, flushing: null, dropped: 0 };
  return state.__reelgateAccessLog;
}

/** Notes a credential issued; written within about a second. Never throws. */
export function recordGrant(event: GrantEvent): void {
  const l = log();
  const held = l.pending.get(event.grantKey);
  if (held) {
    held.at = event.at;
    held.count += 1;
    held.address = event.address;
    held.userAgent = event.userAgent;
  } else if (l.pending.size >= MAX_PENDING) {
    l.dropped += 1;
    return;
  } else {
    l.pending.set(event.grantKey, { ...event, firstAt: event.at, count: 1 });
  }
  if (l.pending.size >= FLUSH_AT_SIZE) void flushAccessLog();
  else if (!l.timer) {
    l.timer = setTimeout(() => {
      l.timer = null;
      void flushAccessLog();
    }, FLUSH_EVERY_MS);
    l.timer.unref?.();
  }
}

/** Writes what is pending now (also before a read, so an admin sees the latest). */
export async function flushAccessLog(): Promise<void> {
  const l = log();
  if (l.flushing) await l.flushing;
  if (l.pending.size === 0) return;
  const batch = [...l.pending.values()];
  l.pending = new Map();
  l.flushing = write(batch)
    .catch((err: unknown) => {
      // Put them back for the next round, under the same bound.
      for (const event of batch) {
        if (l.pending.size >= MAX_PENDING) break;
        if (!l.pending.has(event.grantKey)) l.pending.set(event.grantKey, event);
      }
      getLogger("access-log").warn(`write failed, will retry: ${messageOf(err)}`);
      if (!l.timer) {
        l.timer = setTimeout(() => {
          l.timer = null;
          void flushAccessLog();
        }, 5 * FLUSH_EVERY_MS);
        l.timer.unref?.();
      }
    })
    .finally(() => {
      l.flushing = null;
    });
  await l.flushing;
  if (l.dropped > 0) {
    getLogger("access-log").error(`${l.dropped} event(s) dropped while the database was behind`);
    l.dropped = 0;
  }
}

async function write(batch: Pending[]): Promise<void> {
  const db = await getDb();
  for (let i = 0; i < batch.length; i += 200) {
    await db
      .insert(mediaGrants)
      .values(
        batch.slice(i, i + 200).map((e) => ({
          grantKey: e.grantKey,
          userId: e.userId,
          userEmail: e.userEmail,
          videoId: e.videoId,
          kind: e.kind,
          streamId: e.streamId,
          address: e.address,
          userAgent: e.userAgent?.slice(0, 512) ?? null,
          firstIssuedAt: e.firstAt,
          lastIssuedAt: e.at,
          issueCount: e.count,
        })),
      )
      .onConflictDoUpdate({
        target: mediaGrants.grantKey,
        set: {
          lastIssuedAt: sql`greatest(${mediaGrants.lastIssuedAt}, excluded.last_issued_at)`,
          issueCount: sql`${mediaGrants.issueCount} + excluded.issue_count`,
          address: sql`excluded.address`,
          userAgent: sql`excluded.user_agent`,
        },
      });
  }
}

/** Newest first, by the last issue; `before` (an ISO time from a previous page) pages on. */
export async function listAccessLog(filter: {
  videoId?: string;
  userId?: string;
  limit: number;
  before?: Date;
}): Promise<{ entries: AccessLogEntry[]; nextBefore: string | null }> {
  await flushAccessLog();
  const db = await getDb();
  const conditions: SQL[] = [];
  if (filter.videoId) conditions.push(eq(mediaGrants.videoId, filter.videoId));
  if (filter.userId) conditions.push(eq(mediaGrants.userId, filter.userId));
  if (filter.before) conditions.push(lt(mediaGrants.lastIssuedAt, filter.before));
  const rows = await db
    .select()
    .from(mediaGrants)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(mediaGrants.lastIssuedAt), desc(mediaGrants.grantKey))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    entries: page.map((r) => ({
      userId: r.userId,
      userEmail: r.userEmail,
      videoId: r.videoId,
      kind: r.kind,
      streamId: r.streamId,
      address: r.address,
      userAgent: r.userAgent,
      firstIssuedAt: r.firstIssuedAt.toISOString(),
      lastIssuedAt: r.lastIssuedAt.toISOString(),
      issueCount: r.issueCount,
    })),
    nextBefore: rows.length > filter.limit && last ? last.lastIssuedAt.toISOString() : null,
  };
}

/** Deletes entries whose last issue is older than `days`; returns how many. */
export async function purgeAccessLog(days: number): Promise<number> {
  const db = await getDb();
  const gone = await db
    .delete(mediaGrants)
    .where(lt(mediaGrants.lastIssuedAt, sql`now() - make_interval(days => ${days})`))
    .returning({ key: mediaGrants.grantKey });
  return gone.length;
}
