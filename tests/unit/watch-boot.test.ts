import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { takeWatchBoot, type WatchBoot } from "@/components/catalog/watch-boot";
import { bootWatchScript } from "@/components/catalog/watch-boot-script";
import { predictedPlaylistUrl } from "@/components/player/early-player";
import type { TranscodePlan } from "@/lib/media/plan-transcode";
import { mediaPrefix, mediaUrl } from "@/lib/storage/bucket-keys";
import { watchIdFrom } from "@/components/catalog/watch-preload";
import { ApiError, readApiResponse } from "@/lib/client/api";

/** Runs the inline script exactly as the page embeds it, with a fake browser around it. */
function runBoot(url: string) {
  const { pathname, search } = new URL(url, "https://reelgate.test");
  const calls: { url: string; init: RequestInit }[] = [];
  const fakeFetch = (input: string, init: RequestInit) => {
    calls.push({ url: input, init });
    return Promise.resolve(new Response("{}", { status: 200 }));
  };
  const win: { __reelgateWatchBoot?: WatchBoot } = {};
  // The script is a string in the HTML: it must run with nothing but browser globals.
  runInNewContext(bootWatchScript, browserGlobals({ pathname, search }, fakeFetch, win));
  return { calls, boot: win.__reelgateWatchBoot };
}

describe("the watch page's inline boot script", () => {
  it("asks for the record and this video's cookies at once, then the master playlist", async () => {
    const { calls, boot } = runBoot("/watch?v=abc123");
    expect(calls.map((c) => `${c.init.method ?? "GET"} ${c.url}`)).toEqual([
      "GET /api/videos/abc123",
      "POST /api/signed-cookies",
    ]);
    // The playback cookies name this video: one credential request on the start path.
    expect(JSON.parse(calls[1]?.init.body as string)).toEqual({ videoId: "abc123" });
    expect(calls[1]?.init.headers).toMatchObject({ "content-type": "application/json" });
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Only once they are in: without them the edge would answer 403.
    expect(calls[2]?.url).toBe("/media/videos/abc123/hls/master.m3u8");
    expect(calls.every((c) => c.init.credentials === "same-origin")).toBe(true);
    expect(boot?.id).toBe("abc123");
  });

  it("encodes the id it puts in the path", async () => {
    const { calls } = runBoot("/watch?v=" + encodeURIComponent("../admin/users?x=1"));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls[0]?.url).toBe("/api/videos/..%2Fadmin%2Fusers%3Fx%3D1");
    expect(calls[2]?.url).toBe("/media/videos/..%2Fadmin%2Fusers%3Fx%3D1/hls/master.m3u8");
  });

  it("does nothing on other pages or without an id", () => {
    for (const url of ["/videos?v=abc", "/watch", "/watch?v=%20%20", "/watchlist?v=abc"]) {
      const { calls, boot } = runBoot(url);
      expect(calls, url).toEqual([]);
      expect(boot, url).toBeUndefined();
    }
  });

  it("never throws into the page, even where fetch is missing", () => {
    const globals = browserGlobals({ pathname: "/watch", search: "?v=a" }, undefined, {});
    expect(() => {
      runInNewContext(bootWatchScript, globals);
    }).not.toThrow();
  });
});

/** The few globals a browser gives the inline script, and nothing of Node's. */
function browserGlobals(
  location: Pick<Location, "pathname" | "search">,
  fetch: unknown,
  window: object,
) {
  return { location, fetch, window, URLSearchParams, encodeURIComponent, JSON };
}

describe("predictedPlaylistUrl", () => {
  it("names the master playlist where the transcoder puts it", () => {
    // Fails to compile when the transcoder's layout changes.
    const master: TranscodePlan["masterPlaylist"] = "hls/master.m3u8";
    expect(predictedPlaylistUrl("abc123")).toBe(mediaUrl(`${mediaPrefix("abc123")}${master}`));
  });
});

describe("takeWatchBoot", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("hands over what the script started for the same id, once", () => {
    const boot = {
      id: "abc",
      video: Promise.resolve(new Response()),
      cookies: Promise.resolve(new Response()),
    };
    vi.stubGlobal("window", { __reelgateWatchBoot: boot });
    expect(takeWatchBoot("other")).toBeNull();
    expect(takeWatchBoot("abc")).toBe(boot);
    expect(takeWatchBoot("abc")).toBeNull();
  });
});

describe("watchIdFrom", () => {
  it("reads v on /watch only", () => {
    expect(watchIdFrom({ pathname: "/watch", search: "?v=abc" })).toBe("abc");
    expect(watchIdFrom({ pathname: "/watch/", search: "?v=abc" })).toBe("abc");
    expect(watchIdFrom({ pathname: "/videos", search: "?v=abc" })).toBeNull();
    expect(watchIdFrom({ pathname: "/watch", search: "" })).toBeNull();
  });
});

describe("readApiResponse", () => {
  it("parses an answer whose request was sent elsewhere", async () => {
    const sent = Promise.resolve(Response.json({ id: "abc" }));
    await expect(readApiResponse(sent)).resolves.toEqual({ id: "abc" });
  });

  it("turns the API's error format into an ApiError", async () => {
    const sent = Promise.resolve(
      Response.json({ error: { code: "not_found", message: "No such video." } }, { status: 404 }),
    );
    const error = await readApiResponse(sent).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: "not_found", message: "No such video." });
  });

  it("reports a failed request as a network error", async () => {
    const error = await readApiResponse(Promise.reject(new TypeError("offline"))).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ status: 0, code: "network" });
  });
});
