import type Hls from "hls.js";
import type { VideoSummary } from "@/lib/contract/types";
import type { HlsClass } from "./hls-library";
import type { hlsOptions } from "./hls-options";
import type { ResumeLimits, resumeWithin } from "./resume-offer";

// The watch page's early player. Opened directly, the watch page does not wait for React:
// its static HTML holds the player's frame with a <video> and a Play button
// (EarlyPlayerShell), and an inline script (watch-boot-script.ts) plays the video with hls.js
// before Next's scripts have even been requested. Those scripts are taken out of the
// page's HTML at build time (scripts/finish-static-build.ts) and added by the inline
// script once the first frame is on screen, once the member does anything but press
// Play, or after APP_DELAY_MS; the player then adopts the <video> and the hls.js instance,
// so playback goes on without a gap.
//
// Why: on a 2-core machine, evaluating React and the Next.js runtime and hydrating takes
// the main thread for about 300 ms, and the first frame used to wait for all of it.

/** The element in the static HTML that holds the early <video> and Play button. */
export const EARLY_PLAYER_ID = "rg-early-player";
/** The JSON list of the page's Next.js scripts, which the inline script adds later. */
export const APP_SCRIPTS_ID = "rg-app-scripts";

/**
 * `value` as JSON that is safe inside an inline <script>: a "</script>" in a string cannot
 * end it. For the app scripts list (scripts/finish-static-build.ts) and the inline
 * scripts' constants (watch-boot-script.ts).
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}
/** The app loads at the latest this long after the page, whatever the member does. */
export const APP_DELAY_MS = 1500;
/** The app waits at most this long for the video's record before loading anyway. */
export const RECORD_WAIT_MS = 4000;

/** What the inline script hands to the player. */
export interface EarlyPlayer {
  /** The master playlist being played; the player adopts it only for the same URL. */
  url: string;
  hls: Hls;
  video: HTMLVideoElement;
  /** The video's record, once it arrived and allowed the early start. */
  record: VideoSummary | null;
  /** Play was pressed on the early button. */
  playRequested: boolean;
  /** When (performance.now()) Play was pressed, and when the first frame came: the startup time. */
  playRequestedAt?: number;
  firstFrameAt?: number;
  /** Set when the player takes over: the inline script leaves everything alone from then on. */
  adopted: boolean;
  /** Stops the early playback and frees hls.js (the player did not take it). */
  stop: () => void;
}

declare global {
  interface Window {
    __reelgateEarlyPlayer?: EarlyPlayer;
  }
}

/** What the inline script is given: constants, and the shared functions as text. */
export interface EarlyPlayerEnv {
  hlsUrl: string;
  /** The master playlist that the video's record will name, predicted from its id. */
  playlistUrlFor: (id: string) => string;
  resumeLimits: ResumeLimits;
  appDelayMs: number;
  recordWaitMs: number;
  shellId: string;
  injectHls: (url: string) => Promise<HlsClass>;
  hasMediaSource: () => boolean;
  hlsOptions: typeof hlsOptions;
  resumeWithin: typeof resumeWithin;
}

/**
 * Runs inline, right after the shell in the HTML: starts hls.js on the predicted master
 * playlist as soon as this page's own playback cookies are in (each video has its own,
 * so none the browser holds would do; waiting spares a 403 and a second request). A
 * refused issuance (signed out, not available, stream limit) leaves it to the player,
 * which says why. The video's record decides whether it stays: another playlist, or a
 * resume offer due, and it steps aside for the player. Calls `loadApp` when the app may
 * load.
 *
 * Self-contained: embedded as text, so no imports, no helpers, nothing a compiler would
 * rewrite into a helper call. Any failure ends in `loadApp`, never in a stuck page.
 */
export function startEarlyPlayer(
  boot: { id: string; video: Promise<Response>; cookies: Promise<Response> },
  env: EarlyPlayerEnv,
  loadApp: () => void,
): void {
  const w = window;
  const box = document.getElementById(env.shellId);
  const video = box ? box.querySelector("video") : null;
  const button = box ? box.querySelector("button") : null;
  if (!video || !button || !env.hasMediaSource()) {
    loadApp();
    return;
  }
  const url = env.playlistUrlFor(boot.id);
  let hls: Hls | null = null;
  let ready = false;
  let started = false;
  let over = false;
  const noop = function () {};
  const play = function () {
    // Older engines return nothing instead of a promise.
    const playing = video.play() as Promise<void> | undefined;
    if (playing) playing.catch(noop);
  };
  const stop = function () {
    if (over || player.adopted) return;
    over = true;
    if (w.__reelgateEarlyPlayer === player) delete w.__reelgateEarlyPlayer;
    if (hls) hls.destroy();
    button.hidden = true;
  };
  const player: EarlyPlayer = {
    url: url,
    hls: null as unknown as Hls,
    video: video,
    record: null,
    playRequested: false,
    adopted: false,
    stop: stop,
  };

  // The app waits for the record (so that it can show the player at once, around this
  // <video>), but not for ever.
  const recordSettled = new Promise<void>(function (resolve) {
    boot.video.then(
      function () {
        resolve();
      },
      function () {
        resolve();
      },
    );
    setTimeout(resolve, env.recordWaitMs);
  });
  let appRequested = false;
  const app = function () {
    if (appRequested) return;
    appRequested = true;
    void recordSettled.then(loadApp);
  };
  const giveUp = function () {
    stop();
    app();
  };
  setTimeout(app, env.appDelayMs);
  // The member wants more than Play (a key, a click elsewhere): the app comes now.
  const onInput = function (event: Event) {
    if (!(event.target instanceof Node) || !button.contains(event.target)) app();
  };
  document.addEventListener("keydown", onInput, true);
  document.addEventListener("pointerdown", onInput, true);

  button.hidden = false;
  button.addEventListener("click", function () {
    player.playRequested = true;
    player.playRequestedAt = performance.now();
    button.hidden = true;
    if (ready) play();
  });
  video.addEventListener(
    "playing",
    function () {
      started = true;
      player.firstFrameAt = performance.now();
      // The first frame is on screen: the app's scripts may have the main thread now.
      if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(app);
      else app();
    },
    { once: true },
  );

  boot.video
    .then(function (response) {
      // A copy: the app reads the same answer later (watch-preload.ts).
      return response.ok ? (response.clone().json() as Promise<VideoSummary>) : null;
    })
    .then(function (record) {
      if (!record || record.playlistUrl !== url) {
        giveUp();
        return;
      }
      const saved = record.progress ? record.progress.positionSeconds : null;
      if (!started && env.resumeWithin(saved, record.durationSeconds, env.resumeLimits) !== null) {
        // The player offers to resume; it starts its own source at the chosen position.
        giveUp();
        return;
      }
      player.record = record;
      boot.cookies.then(function (cookies) {
        if (cookies.ok && record.posterUrl && !started && !over) video.poster = record.posterUrl;
      }, noop);
    })
    .catch(giveUp);

  env.injectHls(env.hlsUrl).then(function (Hls) {
    if (over) return;
    if (!Hls.isSupported()) {
      giveUp();
      return;
    }
    const source = new Hls(env.hlsOptions(Hls.DefaultConfig.fragLoadPolicy.default, -1));
    hls = source;
    player.hls = source;
    w.__reelgateEarlyPlayer = player;
    source.on(Hls.Events.MANIFEST_PARSED, function () {
      ready = true;
      if (player.playRequested && !player.adopted) play();
    });
    source.on(Hls.Events.ERROR, function (_event, data) {
      if (data.fatal && !player.adopted && !over) giveUp();
    });
    source.attachMedia(video);
    boot.cookies.then(function (cookies) {
      if (!cookies.ok) giveUp();
      else if (!over && !player.adopted) source.loadSource(url);
    }, giveUp);
  }, giveUp);
}

/**
 * The master playlist of video `id`, as the transcoder lays it out under /media/ (a unit
 * test holds it to the server's layout). A wrong guess costs the head start, nothing else:
 * the early player steps aside when the record names another playlist. Self-contained.
 */
export function predictedPlaylistUrl(id: string): string {
  return "/media/videos/" + encodeURIComponent(id) + "/hls/master.m3u8";
}

/** The record the early player started with, for video `id`; null when there is none. */
export function earlyRecord(id: string): VideoSummary | null {
  if (typeof window === "undefined") return null;
  const record = window.__reelgateEarlyPlayer?.record;
  return record && record.id === id ? record : null;
}

/** The url of the early player that the player took, if it did. */
let takenUrl: string | null = null;

/**
 * Whether an early player plays `url`, or played it and was taken over by the player:
 * either way, nothing else should load it now.
 */
export function earlyPlayerHolds(url: string): boolean {
  if (typeof window === "undefined") return false;
  return window.__reelgateEarlyPlayer?.url === url || takenUrl === url;
}

/**
 * The early player of `url`, handed over once: its <video> and hls.js instance are the
 * caller's from now on. An early player that cannot be taken (another video, or no
 * record yet) is stopped, so that it does not play behind the player.
 */
export function takeEarlyPlayer(url: string): EarlyPlayer | null {
  if (typeof window === "undefined") return null;
  const player = window.__reelgateEarlyPlayer;
  if (!player) return null;
  delete window.__reelgateEarlyPlayer;
  if (player.url !== url || !player.record) {
    player.stop();
    return null;
  }
  player.adopted = true;
  takenUrl = url;
  return player;
}

/**
 * Stops an early player nobody took: the member left the watch page (a client-side
 * navigation) before the player mounted. Its <video> left the page with it, but hls.js
 * would go on buffering.
 */
export function releaseEarlyPlayer(): void {
  if (typeof window === "undefined") return;
  const player = window.__reelgateEarlyPlayer;
  if (!player) return;
  delete window.__reelgateEarlyPlayer;
  player.stop();
}
