import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startWatchPageScript } from "@/components/catalog/watch-boot-script";
import { createHlsSource } from "@/components/player/attach-hls";
import {
  APP_DELAY_MS,
  APP_SCRIPTS_ID,
  EARLY_PLAYER_ID,
  releaseEarlyPlayer,
  takeEarlyPlayer,
  type EarlyPlayer,
} from "@/components/player/early-player";

// The watch page's second inline script (early player and app loader), run exactly as the
// page embeds it, with a small fake browser around it: which scripts it adds, when, and
// what it does with hls.js.

const APP = ["/_next/static/chunks/a.js", "/_next/static/chunks/b.js"];

class FakeTarget {
  listeners = new Map<string, ((event: unknown) => void)[]>();
  addEventListener(type: string, listener: (event: unknown) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: string, event: unknown = { type }) {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

class FakeVideo extends FakeTarget {
  poster = "";
  playCalls = 0;
  frameCallbacks: (() => void)[] = [];
  play() {
    this.playCalls += 1;
    return Promise.resolve();
  }
  requestVideoFrameCallback(callback: () => void) {
    this.frameCallbacks.push(callback);
  }
}

class FakeButton extends FakeTarget {
  hidden = true;
  contains(node: unknown) {
    return node === this;
  }
}

/** A stand-in for the `Hls` global: records what the script asks of it. */
function fakeHlsClass(supported = true) {
  const made: FakeHls[] = [];
  class FakeHls extends FakeTarget {
    static Events = { MANIFEST_PARSED: "manifestParsed", ERROR: "hlsError" };
    static DefaultConfig = { fragLoadPolicy: { default: { maxLoadTimeMs: 1 } }, loader: class {} };
    static isSupported = () => supported;
    static made = made;
    source: string | null = null;
    media: unknown = null;
    destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      made.push(this);
    }
    on(event: string, listener: (event: string, data: unknown) => void) {
      this.addEventListener(event, (data) => listener(event, data));
    }
    loadSource(url: string) {
      this.source = url;
    }
    attachMedia(media: unknown) {
      this.media = media;
    }
    destroy() {
      this.destroyed = true;
    }
  }
  return FakeHls;
}

interface PageOptions {
  boot?: boolean;
  mediaSource?: boolean;
  record?: Record<string, unknown> | null;
  Hls?: ReturnType<typeof fakeHlsClass>;
  /** The answer to the page's POST /api/signed-cookies (default: an immediate 200). */
  cookies?: Promise<{ ok: boolean }>;
}

function runPage(options: PageOptions = {}) {
  const added: { src: string; onload?: () => void; onerror?: () => void }[] = [];
  const timers: (() => void)[] = [];
  const video = new FakeVideo();
  const button = new FakeButton();
  const document = Object.assign(new FakeTarget(), {
    head: { appendChild: (script: { src: string }) => added.push(script) },
    createElement: () => ({ src: "" }),
    getElementById: (id: string) => {
      if (id === APP_SCRIPTS_ID) return { textContent: JSON.stringify(APP) };
      if (id === EARLY_PLAYER_ID) {
        return { querySelector: (selector: string) => (selector === "video" ? video : button) };
      }
      return null;
    },
  });
  const record =
    options.record === undefined
      ? { id: "abc", playlistUrl: "/media/videos/abc/hls/master.m3u8", progress: null }
      : options.record;
  const response = (body: unknown, ok = true) => ({
    ok,
    clone: () => ({ json: () => Promise.resolve(body) }),
  });
  const window: Record<string, unknown> = {};
  if (options.mediaSource !== false) window.MediaSource = function MediaSource() {};
  if (options.Hls) window.Hls = options.Hls;
  if (options.boot !== false) {
    window.__reelgateWatchBoot = {
      id: "abc",
      video: Promise.resolve(record ? response(record) : response(null, false)),
      cookies: options.cookies ?? Promise.resolve({ ok: true }),
    };
  }
  runInNewContext(startWatchPageScript, {
    window,
    document,
    Node: FakeTarget,
    JSON,
    Promise,
    Object,
    Error,
    setTimeout: (callback: () => void) => timers.push(callback),
  });
  const appAdded = () => APP.every((src) => added.some((script) => script.src === src));
  return { window, video, button, added, timers, appAdded };
}

/** Lets the script's promise chains run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the watch page's early player and app loader", () => {
  it("loads the app at once where there is nothing to play early", async () => {
    for (const page of [runPage({ boot: false }), runPage({ mediaSource: false })]) {
      await settle();
      expect(page.appAdded()).toBe(true);
      expect(page.button.hidden).toBe(true);
    }
  });

  it("plays the predicted playlist with hls.js, holding the app back until the first frame", async () => {
    const Hls = fakeHlsClass();
    const page = runPage({ Hls });
    await settle();
    const [hls] = Hls.made;
    expect(hls?.source).toBe("/media/videos/abc/hls/master.m3u8");
    expect(hls?.media).toBe(page.video);
    expect(hls?.options).toMatchObject({
      startPosition: -1,
      capLevelToPlayerSize: true,
      enableWorker: false,
    });
    expect(page.button.hidden).toBe(false);
    expect((page.window.__reelgateEarlyPlayer as EarlyPlayer).record).toMatchObject({ id: "abc" });
    expect(page.appAdded()).toBe(false);

    // Play pressed before the manifest: carried out once it is parsed.
    page.button.emit("click");
    expect(page.video.playCalls).toBe(0);
    hls!.emit("manifestParsed", {});
    expect(page.video.playCalls).toBe(1);

    page.video.emit("playing");
    expect(page.appAdded()).toBe(false);
    page.video.frameCallbacks.forEach((callback) => callback());
    await settle();
    expect(page.appAdded()).toBe(true);
  });

  it("loads the app after its delay even when nothing is pressed", async () => {
    const page = runPage({ Hls: fakeHlsClass() });
    await settle();
    expect(page.appAdded()).toBe(false);
    expect(page.timers.length).toBeGreaterThan(0);
    page.timers.forEach((timer) => timer());
    await settle();
    expect(page.appAdded()).toBe(true);
    expect(APP_DELAY_MS).toBeLessThanOrEqual(2000);
  });

  it("steps aside for a resume offer, another playlist or a missing video", async () => {
    for (const record of [
      {
        id: "abc",
        playlistUrl: "/media/videos/abc/hls/master.m3u8",
        durationSeconds: 600,
        progress: { positionSeconds: 120 },
      },
      { id: "abc", playlistUrl: "/media/videos/abc/v2/master.m3u8", progress: null },
      null,
    ]) {
      const Hls = fakeHlsClass();
      const page = runPage({ Hls, record });
      await settle();
      expect(Hls.made[0]?.destroyed, JSON.stringify(record)).toBe(true);
      expect(page.window.__reelgateEarlyPlayer).toBeUndefined();
      expect(page.button.hidden).toBe(true);
      expect(page.appAdded()).toBe(true);
    }
  });

  it("requests the playlist only once this video's own cookies are in", async () => {
    let answer!: (value: { ok: boolean }) => void;
    const Hls = fakeHlsClass();
    const page = runPage({ Hls, cookies: new Promise((resolve) => (answer = resolve)) });
    await settle();
    const hls = Hls.made[0]!;
    // Attached to the <video> at once, but no request that could only get a 403.
    expect(hls.media).toBe(page.video);
    expect(hls.source).toBeNull();
    answer({ ok: true });
    await settle();
    expect(hls.source).toBe("/media/videos/abc/hls/master.m3u8");
    expect(page.appAdded()).toBe(false);
  });

  it("leaves a refused issuance (stream limit, withdrawn, signed out) or a fatal error to the player", async () => {
    const refused = fakeHlsClass();
    const page = runPage({ Hls: refused, cookies: Promise.resolve({ ok: false }) });
    await settle();
    expect(refused.made[0]?.source).toBeNull();
    expect(refused.made[0]?.destroyed).toBe(true);
    expect(page.appAdded()).toBe(true);

    const failing = fakeHlsClass();
    const second = runPage({ Hls: failing });
    await settle();
    failing.made[0]!.emit("hlsError", { fatal: true, response: { code: 403 } });
    await settle();
    expect(failing.made[0]?.destroyed).toBe(true);
    expect(second.appAdded()).toBe(true);
  });

  it("loads the app when hls.js cannot be loaded or is not supported", async () => {
    const unsupported = runPage({ Hls: fakeHlsClass(false) });
    await settle();
    expect(unsupported.appAdded()).toBe(true);

    const failing = runPage();
    await settle();
    const hlsScript = failing.added.find((script) => !APP.includes(script.src));
    expect(hlsScript).toBeDefined();
    expect(failing.appAdded()).toBe(false);
    hlsScript!.onerror!();
    await settle();
    expect(failing.appAdded()).toBe(true);
  });
});

describe("handing the early player over", () => {
  afterEach(() => vi.unstubAllGlobals());

  const earlyPlayer = (record: EarlyPlayer["record"]) => {
    const player = {
      url: "/media/videos/abc/hls/master.m3u8",
      record,
      adopted: false,
      stop: vi.fn(),
    } as unknown as EarlyPlayer;
    vi.stubGlobal("window", { __reelgateEarlyPlayer: player });
    return player;
  };

  it("gives the player the early playback of its playlist, once", () => {
    const player = earlyPlayer({ id: "abc" } as EarlyPlayer["record"]);
    expect(takeEarlyPlayer("/media/videos/abc/hls/master.m3u8")).toBe(player);
    expect(player.adopted).toBe(true);
    expect(player.stop).not.toHaveBeenCalled();
    expect(takeEarlyPlayer("/media/videos/abc/hls/master.m3u8")).toBeNull();
  });

  it("stops an early playback the player cannot take, or that nobody took", () => {
    const other = earlyPlayer({ id: "abc" } as EarlyPlayer["record"]);
    expect(takeEarlyPlayer("/media/videos/xyz/hls/master.m3u8")).toBeNull();
    expect(other.stop).toHaveBeenCalledOnce();

    const noRecord = earlyPlayer(null);
    expect(takeEarlyPlayer("/media/videos/abc/hls/master.m3u8")).toBeNull();
    expect(noRecord.stop).toHaveBeenCalledOnce();

    const left = earlyPlayer({ id: "abc" } as EarlyPlayer["record"]);
    releaseEarlyPlayer();
    expect(left.stop).toHaveBeenCalledOnce();
    expect((window as { __reelgateEarlyPlayer?: unknown }).__reelgateEarlyPlayer).toBeUndefined();
  });

  it("gives the sources the player makes itself the early player's options", () => {
    // One set of options (hls-options.ts), with the cookie-renewing loader on top.
    const Hls = fakeHlsClass();
    createHlsSource(Hls as never, "/media/videos/abc/hls/master.m3u8", null, {
      renewNow: () => Promise.resolve({ signedOut: true }),
    } as never);
    expect(Hls.made[0]?.options).toMatchObject({
      enableWorker: false,
      startPosition: -1,
      capLevelToPlayerSize: true,
    });
    expect(typeof (Hls.made[0]?.options as { loader?: unknown }).loader).toBe("function");
    expect(Hls.made[0]?.source).toBe("/media/videos/abc/hls/master.m3u8");
  });
});
