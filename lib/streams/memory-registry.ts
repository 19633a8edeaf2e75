import { randomUUID } from "node:crypto";
import type { ActiveStream, StreamRegistry } from "./types";

/** How often ended streams are dropped from memory, whoever asks. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The registry in this process's memory: exact for one API server (the local preview,
 * whose PGlite database has one owner process anyway). Several API servers need the
 * shared one. Every method runs without an await between its read and its write, which
 * is what makes `touch` atomic here.
 */
export function createMemoryStreamRegistry(): StreamRegistry {
  const byUser = new Map<string, Map<string, ActiveStream>>();
  let sweptAt = 0;

  function live(userId: string, ttlMs: number, now: number): Map<string, ActiveStream> {
    if (now - sweptAt > SWEEP_EVERY_MS) {
      sweptAt = now;
      for (const [user, streams] of byUser) {
        for (const [id, s] of streams) if (now - s.lastSeenAt >= ttlMs) streams.delete(id);
        if (streams.size === 0) byUser.delete(user);
      }
    }
    let streams = byUser.get(userId);
    if (!streams) {
      streams = new Map();
      byUser.set(userId, streams);
    }
    for (const [id, s] of streams) if (now - s.lastSeenAt >= ttlMs) streams.delete(id);
    return streams;
  }

  const oldestFirst = (streams: Map<string, ActiveStream>) =>
    [...streams.values()].sort((a, b) => a.startedAt - b.startedAt).map((s) => ({ ...s }));

  return {
    touch(userId, streamId, info, { limit, ttlMs, now }) {
      const streams = live(userId, ttlMs, now);
      const current = streams.get(streamId);
      if (!current && limit > 0 && streams.size >= limit) {
        return Promise.resolve({ ok: false, streams: oldestFirst(streams) });
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
      streams.set(streamId, stream);
      return Promise.resolve({ ok: true, stream: { ...stream }, started: !current });
    },
    list(userId, { ttlMs, now }) {
      return Promise.resolve(oldestFirst(live(userId, ttlMs, now)));
    },
    end(userId, streamId) {
      return Promise.resolve(byUser.get(userId)?.delete(streamId) ?? false);
    },
    endAll(userId) {
      byUser.delete(userId);
      return Promise.resolve();
    },
  };
}
