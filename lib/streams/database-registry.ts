import { randomUUID } from "node:crypto";
import { and, asc, eq, lt } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { activeStreams, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import type { ActiveStream, StreamRegistry } from "./types";

type Row = typeof activeStreams.$inferSelect;

const toStream = (r: Row): ActiveStream => ({
  id: r.streamId,
  videoId: r.videoId,
  playbackKey: r.playbackKey,
  device: r.device,
  address: r.address,
  userAgent: r.userAgent,
  startedAt: r.startedAt,
  lastSeenAt: r.lastSeenAt,
});

/**
 * The registry in the shared database, for several API servers on one Postgres: every
 * server counts the same rows. `touch` runs in a transaction that first locks the
 * member's `users` row, so two devices of one member starting at once on two servers
 * are counted one after the other (members never wait on each other). A renewal is one
 * short transaction per playing device per heartbeat.
 */
export function createDatabaseStreamRegistry(getDb: () => Promise<Db>): StreamRegistry {
  /** The member's streams renewed within `ttlMs`, oldest first; ended ones are deleted. */
  async function live(db: Db, userId: string, ttlMs: number, now: number) {
    await db
      .delete(activeStreams)
      .where(and(eq(activeStreams.userId, userId), lt(activeStreams.lastSeenAt, now - ttlMs + 1)));
    const rows = await db
      .select()
      .from(activeStreams)
      .where(eq(activeStreams.userId, userId))
      .orderBy(asc(activeStreams.startedAt));
    return rows.map(toStream);
  }

  return {
    async touch(userId, streamId, info, { limit, ttlMs, now }) {
      const db = await getDb();
      return db.transaction(async (tx) => {
        const [member] = await tx
          .select({ id: users.id })
          .from(users)
          .where(eq(users.id, userId))
          .for("update");
        if (!member) throw new AppError("unauthorized", "This account no longer exists.");
        const streams = await live(tx, userId, ttlMs, now);
        const current = streams.find((s) => s.id === streamId);
        if (!current && limit > 0 && streams.length >= limit) {
          return { ok: false as const, streams };
        }
        const stream: ActiveStream = {
          id: streamId,
          videoId: info.videoId,
          playbackKey:
            current && current.videoId === info.videoId ? current.playbackKey : randomUUID(),
          device: info.device,
          address: info.address,
          userAgent: info.userAgent,
          startedAt: current?.startedAt ?? now,
          lastSeenAt: now,
        };
        const row = {
          videoId: stream.videoId,
          playbackKey: stream.playbackKey,
          device: stream.device,
          address: stream.address,
          userAgent: stream.userAgent,
          startedAt: stream.startedAt,
          lastSeenAt: stream.lastSeenAt,
        };
        await tx
          .insert(activeStreams)
          .values({ userId, streamId, ...row })
          .onConflictDoUpdate({ target: [activeStreams.userId, activeStreams.streamId], set: row });
        return { ok: true as const, stream, started: !current };
      });
    },
    async list(userId, { ttlMs, now }) {
      return live(await getDb(), userId, ttlMs, now);
    },
    async end(userId, streamId) {
      const db = await getDb();
      const gone = await db
        .delete(activeStreams)
        .where(and(eq(activeStreams.userId, userId), eq(activeStreams.streamId, streamId)))
        .returning({ id: activeStreams.streamId });
      return gone.length > 0;
    },
    async endAll(userId) {
      const db = await getDb();
      await db.delete(activeStreams).where(eq(activeStreams.userId, userId));
    },
  };
}

/**
 * Deletes the rows of streams that ended long ago (members who never came back, whose
 * rows no `list` or `touch` of theirs removed): any server may run it.
 */
export async function pruneEndedStreams(db: Db, endedBefore: number): Promise<number> {
  const gone = await db
    .delete(activeStreams)
    .where(lt(activeStreams.lastSeenAt, endedBefore))
    .returning({ id: activeStreams.streamId });
  return gone.length;
}
