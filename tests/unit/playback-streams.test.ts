import { describe, expect, it } from "vitest";
import {
  createMemoryStreamRegistry,
  deviceCookie,
  deviceLabel,
  newDeviceId,
  readDeviceId,
  streamIdFor,
} from "@/lib/streams";
import { catalogScopes, clearableScope, videoScope } from "@/lib/playback/scopes";

const TTL = 120_000;
const info = (videoId = "vidAAAAAAAA") => ({
  videoId,
  device: "Chrome on Linux",
  address: "203.0.113.1",
  userAgent: "ua",
});

describe("the stream registry", () => {
  it("counts devices, not renewals: one device renewing stays one stream", async () => {
    const registry = createMemoryStreamRegistry();
    const opts = (now: number) => ({ limit: 3, ttlMs: TTL, now });
    const first = await registry.touch("u1", "dev1", info(), opts(0));
    expect(first).toMatchObject({ ok: true, started: true });
    for (let t = 1; t < 10; t += 1) {
      expect(await registry.touch("u1", "dev1", info(), opts(t * 1000))).toMatchObject({
        ok: true,
        started: false,
      });
    }
    const streams = await registry.list("u1", { ttlMs: TTL, now: 10_000 });
    expect(streams).toHaveLength(1);
    expect(streams[0]).toMatchObject({ id: "dev1", startedAt: 0, lastSeenAt: 9000 });
  });

  it("refuses the fourth device with the three live ones, oldest first, and frees a stopped one", async () => {
    const registry = createMemoryStreamRegistry();
    for (const [i, dev] of ["a", "b", "c"].entries()) {
      await registry.touch("u1", dev, info(), { limit: 3, ttlMs: TTL, now: i * 10 });
    }
    const refused = await registry.touch("u1", "d", info(), { limit: 3, ttlMs: TTL, now: 100 });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.streams.map((s) => s.id)).toEqual(["a", "b", "c"]);
    // Another member is not affected.
    expect((await registry.touch("u2", "d", info(), { limit: 3, ttlMs: TTL, now: 100 })).ok).toBe(
      true,
    );
    expect(await registry.end("u1", "a")).toBe(true);
    expect(await registry.end("u1", "a")).toBe(false);
    expect((await registry.touch("u1", "d", info(), { limit: 3, ttlMs: TTL, now: 200 })).ok).toBe(
      true,
    );
    // The stopped device, coming back, is a new stream: refused while the others play.
    expect((await registry.touch("u1", "a", info(), { limit: 3, ttlMs: TTL, now: 300 })).ok).toBe(
      false,
    );
  });

  it("ends a stream that stopped renewing for the TTL, and a limit of 0 means none", async () => {
    const registry = createMemoryStreamRegistry();
    for (const dev of ["a", "b", "c"]) {
      await registry.touch("u1", dev, info(), { limit: 3, ttlMs: TTL, now: 0 });
    }
    await registry.touch("u1", "b", info(), { limit: 3, ttlMs: TTL, now: TTL - 1 });
    await registry.touch("u1", "c", info(), { limit: 3, ttlMs: TTL, now: TTL - 1 });
    // "a" last renewed at 0: gone at TTL, so "d" gets its place.
    expect((await registry.touch("u1", "d", info(), { limit: 3, ttlMs: TTL, now: TTL })).ok).toBe(
      true,
    );
    for (let i = 0; i < 20; i += 1) {
      const r = await registry.touch("admin", `dev${i}`, info(), { limit: 0, ttlMs: TTL, now: 0 });
      expect(r.ok).toBe(true);
    }
    await registry.endAll("admin");
    expect(await registry.list("admin", { ttlMs: TTL, now: 0 })).toEqual([]);
  });

  it("starts a new playback (access-log row) when the device changes video", async () => {
    const registry = createMemoryStreamRegistry();
    const opts = { limit: 3, ttlMs: TTL, now: 0 };
    const a = await registry.touch("u1", "dev", info("vidAAAAAAAA"), opts);
    const again = await registry.touch("u1", "dev", info("vidAAAAAAAA"), opts);
    const b = await registry.touch("u1", "dev", info("vidBBBBBBBB"), opts);
    if (!a.ok || !again.ok || !b.ok) throw new Error("refused");
    expect(again.stream.playbackKey).toBe(a.stream.playbackKey);
    expect(b.stream.playbackKey).not.toBe(a.stream.playbackKey);
    expect(b.started).toBe(false);
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
