import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { activeStreams, users } from "@/lib/db/schema";
import { testDatabase } from "./helpers/db";
import {
  createDatabaseStreamRegistry,
  createMemoryStreamRegistry,
  pruneEndedStreams,
  deviceCookie,
  deviceLabel,
  newDeviceId,
  readDeviceId,
  streamIdFor,
} from "@/lib/streams";
import { catalogScopes, clearableScope, videoScope } from "@/lib/playback/scopes";

const TTL = 120_000;
// Member ids: the database registry's rows belong to real accounts.
const U1 = "00000000-0000-4000-8000-000000000001";
const U2 = "00000000-0000-4000-8000-000000000002";
const ADMIN = "00000000-0000-4000-8000-000000000003";

let database: (Database & { label: string }) | undefined;
beforeAll(async () => {
  database = await testDatabase();
  await database.db
    .insert(users)
    .values([U1, U2, ADMIN].map((id, i) => ({ id, email: `streams${i}@example.test` })));
});
afterAll(async () => {
  await database?.close();
});

/** Each test gets an empty registry: the database one after its rows are cleared. */
const IMPLEMENTATIONS = [
  { name: "memory", make: () => Promise.resolve(createMemoryStreamRegistry()) },
  {
    name: "database",
    make: async () => {
      const db = database!.db;
      await db.delete(activeStreams);
      return createDatabaseStreamRegistry(() => Promise.resolve(db));
    },
  },
];
const info = (videoId = "vidAAAAAAAA") => ({
  videoId,
  device: "Chrome on Linux",
  address: "203.0.113.1",
  userAgent: "ua",
});

describe.each(IMPLEMENTATIONS)("the stream registry ($name)", ({ make }) => {
  it("counts devices, not renewals: one device renewing stays one stream", async () => {
    const registry = await make();
    const opts = (now: number) => ({ limit: 3, ttlMs: TTL, now });
    const first = await registry.touch(U1, "dev1", info(), opts(0));
    expect(first).toMatchObject({ ok: true, started: true });
    for (let t = 1; t < 10; t += 1) {
      expect(await registry.touch(U1, "dev1", info(), opts(t * 1000))).toMatchObject({
        ok: true,
        started: false,
      });
    }
    const streams = await registry.list(U1, { ttlMs: TTL, now: 10_000 });
    expect(streams).toHaveLength(1);
    expect(streams[0]).toMatchObject({ id: "dev1", startedAt: 0, lastSeenAt: 9000 });
  });

  it("refuses the fourth device with the three live ones, oldest first, and frees a stopped one", async () => {
    const registry = await make();
    for (const [i, dev] of ["a", "b", "c"].entries()) {
      await registry.touch(U1, dev, info(), { limit: 3, ttlMs: TTL, now: i * 10 });
    }
    const refused = await registry.touch(U1, "d", info(), { limit: 3, ttlMs: TTL, now: 100 });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.streams.map((s) => s.id)).toEqual(["a", "b", "c"]);
    // Another member is not affected.
    expect((await registry.touch(U2, "d", info(), { limit: 3, ttlMs: TTL, now: 100 })).ok).toBe(
      true,
    );
    expect(await registry.end(U1, "a")).toBe(true);
    expect(await registry.end(U1, "a")).toBe(false);
    expect((await registry.touch(U1, "d", info(), { limit: 3, ttlMs: TTL, now: 200 })).ok).toBe(
      true,
    );
    // The stopped device, coming back, is a new stream: refused while the others play.
    expect((await registry.touch(U1, "a", info(), { limit: 3, ttlMs: TTL, now: 300 })).ok).toBe(
      false,
    );
  });

  it("ends a stream that stopped renewing for the TTL, and a limit of 0 means none", async () => {
    const registry = await make();
    for (const dev of ["a", "b", "c"]) {
      await registry.touch(U1, dev, info(), { limit: 3, ttlMs: TTL, now: 0 });
    }
    await registry.touch(U1, "b", info(), { limit: 3, ttlMs: TTL, now: TTL - 1 });
    await registry.touch(U1, "c", info(), { limit: 3, ttlMs: TTL, now: TTL - 1 });
    // "a" last renewed at 0: gone at TTL, so "d" gets its place.
    expect((await registry.touch(U1, "d", info(), { limit: 3, ttlMs: TTL, now: TTL })).ok).toBe(
      true,
    );
    for (let i = 0; i < 20; i += 1) {
      const r = await registry.touch(ADMIN, `dev${i}`, info(), { limit: 0, ttlMs: TTL, now: 0 });
      expect(r.ok).toBe(true);
    }
    await registry.endAll(ADMIN);
    expect(await registry.list(ADMIN, { ttlMs: TTL, now: 0 })).toEqual([]);
  });

  it("starts a new playback (access-log row) when the device changes video", async () => {
    const registry = await make();
    const opts = { limit: 3, ttlMs: TTL, now: 0 };
    const a = await registry.touch(U1, "dev", info("vidAAAAAAAA"), opts);
    const again = await registry.touch(U1, "dev", info("vidAAAAAAAA"), opts);
    const b = await registry.touch(U1, "dev", info("vidBBBBBBBB"), opts);
    if (!a.ok || !again.ok || !b.ok) throw new Error("refused");
    expect(again.stream.playbackKey).toBe(a.stream.playbackKey);
    expect(b.stream.playbackKey).not.toBe(a.stream.playbackKey);
    expect(b.started).toBe(false);
  });

  it("gives the last place to one of several devices starting at the same moment", async () => {
    const registry = await make();
    // Rounds, with the connections opened first, so that a registry that counts without
    // holding the member's lock is caught whichever way the requests are scheduled.
    await Promise.all([1, 2, 3, 4].map(() => registry.list(U2, { ttlMs: TTL, now: 0 })));
    for (let round = 0; round < 10; round += 1) {
      await registry.endAll(U1);
      for (const dev of ["a", "b"]) {
        await registry.touch(U1, dev, info(), { limit: 3, ttlMs: TTL, now: 0 });
      }
      const results = await Promise.all(
        ["c", "d", "e", "f"].map((dev) =>
          registry.touch(U1, dev, info(), { limit: 3, ttlMs: TTL, now: 1 }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await registry.list(U1, { ttlMs: TTL, now: 2 })).toHaveLength(3);
    }
  });
});

describe("the database stream registry", () => {
  it("is shared: a stream started through one server's registry counts on another's", async () => {
    const db = database!.db;
    await db.delete(activeStreams);
    const one = createDatabaseStreamRegistry(() => Promise.resolve(db));
    const two = createDatabaseStreamRegistry(() => Promise.resolve(db));
    await one.touch(U1, "a", info(), { limit: 1, ttlMs: TTL, now: 0 });
    const refused = await two.touch(U1, "b", info(), { limit: 1, ttlMs: TTL, now: 1 });
    expect(refused).toMatchObject({ ok: false, streams: [{ id: "a" }] });
    expect(await two.end(U1, "a")).toBe(true);
    expect((await one.touch(U1, "b", info(), { limit: 1, ttlMs: TTL, now: 2 })).ok).toBe(true);
  });

  it("refuses an account that no longer exists, and prunes streams that ended long ago", async () => {
    const db = database!.db;
    await db.delete(activeStreams);
    const registry = createDatabaseStreamRegistry(() => Promise.resolve(db));
    await expect(
      registry.touch("00000000-0000-4000-8000-0000000000ff", "a", info(), {
        limit: 3,
        ttlMs: TTL,
        now: 0,
      }),
    ).rejects.toMatchObject({ code: "unauthorized" });
    await registry.touch(U1, "old", info(), { limit: 3, ttlMs: TTL, now: 0 });
    await registry.touch(U2, "new", info(), { limit: 3, ttlMs: TTL, now: 5000 });
    expect(await pruneEndedStreams(db, 1000)).toBe(1);
    expect(await registry.list(U2, { ttlMs: TTL, now: 5000 })).toHaveLength(1);
  });
});

describe("the device cookie", () => {
  it("is read back only when well-formed, and is HttpOnly on /api/", () => {
    const id = newDeviceId();
    expect(readDeviceId(`a=1; rg-device=${id}; b=2`)).toBe(id);
    expect(readDeviceId("rg-device=short")).toBeNull();
    expect(readDeviceId(`rg-device=${id.slice(0, 21)}!`)).toBeNull();
    expect(readDeviceId(null)).toBeNull();
    expect(deviceCookie(id, true)).toBe(
      `rg-device=${id}; Path=/api/; Max-Age=31536000; HttpOnly; Secure; SameSite=Lax`,
    );
    expect(deviceCookie(id, false)).not.toContain("Secure");
  });

  it("gives two members of one browser two streams, and never the cookie itself", () => {
    const id = newDeviceId();
    expect(streamIdFor("u1", id)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(streamIdFor("u1", id)).toBe(streamIdFor("u1", id));
    expect(streamIdFor("u1", id)).not.toBe(streamIdFor("u2", id));
    expect(streamIdFor("u1", id)).not.toBe(id);
  });

  it("names the browser and OS for the member's list", () => {
    expect(
      deviceLabel(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
      ),
    ).toBe("Chrome on Linux");
    expect(
      deviceLabel(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
      ),
    ).toBe("Safari on iOS");
    expect(deviceLabel(null)).toBe("Unknown browser");
    expect(deviceLabel("")).toBe("Unknown browser");
  });
});

describe("media scopes", () => {
  it("names one video's folder, and a member's catalog folders", () => {
    expect(videoScope("abcDEF123456")).toEqual({ path: "/media/videos/abcDEF123456/" });
    expect(catalogScopes({ id: "u", role: "member" }, ["g1aaaaaaaaaa"])).toEqual([
      { path: "/media/posters/members/" },
      { path: "/media/posters/g1aaaaaaaaaa/" },
    ]);
    expect(catalogScopes({ id: "u", role: "admin" }, ["g1aaaaaaaaaa"])).toEqual([
      { path: "/media/" },
    ]);
  });

  it("clears only folders Reelgate sets cookies for", () => {
    for (const ok of [
      "/media/",
      "/media/videos/abcDEF123456/",
      "/media/posters/members/",
      "/media/posters/g1aaaaaaaaaa/",
    ]) {
      expect(clearableScope(ok), ok).toEqual({ path: ok });
    }
    for (const bad of [
      "/",
      "/api/",
      "/media",
      "/media/videos/",
      "/media/videos/abc/",
      "/media/videos/abcDEF123456",
      "/media/videos/abcDEF123456/hls/",
      "/media/videos/../",
      "/media/posters/mem-bers/",
      "/media/videos/abcDEF123456/;Domain=evil.com",
    ]) {
      expect(clearableScope(bad), bad).toBeNull();
    }
  });
});
