import { hasMediaSource } from "@/components/player/choose-engine";
import { HLS_SCRIPT_URL, injectHlsScript } from "@/components/player/hls-library";
import { hlsOptions } from "@/components/player/hls-options";
import {
  APP_DELAY_MS,
  APP_SCRIPTS_ID,
  EARLY_PLAYER_ID,
  RECORD_WAIT_MS,
  predictedPlaylistUrl,
  scriptSafeJson,
  startEarlyPlayer,
  type EarlyPlayerEnv,
} from "@/components/player/early-player";
import { RESUME_LIMITS, resumeWithin } from "@/components/player/resume-offer";
import type { WatchBoot } from "./watch-boot";

// The watch page's two inline scripts, around the parser-inserted hls.js script:
//
//   bootWatch       before hls.js: sends the requests, so they run while hls.js compiles;
//   startWatchPage  after it: starts the early player, and loads the app when it may.
//
// Both are serialized with Function#toString into the HTML, so they must be
// self-contained: no imports, no helpers, nothing a compiler would rewrite into a helper
// call. What they share is passed in as constants and as functions (also serialized).

/**
 * Requests the video's record and its playback cookies (`{videoId}`: the one credential
 * request on the start path) before any bundle, and, once the cookies are in, the master
 * playlist it predicts (the early player's first request; the edge lets a playlist be
 * cached for a few seconds, so hls.js then finds it in the browser's cache). The page's
 * code adopts both answers (watch-preload.ts); if this script fails, it asks itself.
 */
export function bootWatch(env: { playlistUrlFor: (id: string) => string }): void {
  try {
    if (location.pathname.replace(/\/+$/, "") !== "/watch") return;
    const id = (new URLSearchParams(location.search).get("v") || "").trim();
    if (!id) return;
    const headers = { accept: "application/json" };
    const boot: WatchBoot = {
      id,
      video: fetch("/api/videos/" + encodeURIComponent(id), {
        credentials: "same-origin",
        headers,
      }),
      cookies: fetch("/api/signed-cookies", {
        method: "POST",
        credentials: "same-origin",
        headers: { accept: "application/json", "content-type": "application/json" },
        cache: "no-store",
        body: JSON.stringify({ videoId: id }),
      }),
    };
    // Read later by the page; a failure is handled there, never "unhandled" here.
    boot.video.catch(function () {});
    boot.cookies
      .then(function (cookies) {
        if (cookies.ok) return fetch(env.playlistUrlFor(id), { credentials: "same-origin" });
      })
      .catch(function () {});
    window.__reelgateWatchBoot = boot;
  } catch {
    // Old browser or blocked fetch: the page's code does the same work itself.
  }
}

/** What {@link startWatchPage} is given. */
export interface WatchPageEnv extends EarlyPlayerEnv {
  appScriptsId: string;
  startEarlyPlayer: typeof startEarlyPlayer;
}

/**
 * Starts the early player on what {@link bootWatch} sent (early-player.ts). Also the one
 * place that loads the page's Next.js scripts when the build took them out of the HTML
 * (`loadApp`): every path, every failure included, ends up calling it.
 */
export function startWatchPage(env: WatchPageEnv): void {
  let loaded = false;
  const loadApp = function () {
    if (loaded) return;
    loaded = true;
    const list = document.getElementById(env.appScriptsId);
    const sources = (list ? JSON.parse(list.textContent || "[]") : []) as string[];
    for (let i = 0; i < sources.length; i++) {
      const script = document.createElement("script");
      script.src = sources[i]!;
      script.async = true;
      document.head.appendChild(script);
    }
  };
  try {
    const boot = window.__reelgateWatchBoot;
    if (boot) env.startEarlyPlayer(boot, env, loadApp);
    else loadApp();
  } catch {
    loadApp();
  }
}

/** The first inline `<script>`: {@link bootWatch}. */
export const bootWatchScript = `(${bootWatch.toString()})({
  playlistUrlFor: ${predictedPlaylistUrl.toString()}
});`;

/** The second inline `<script>`: {@link startWatchPage} with its constants and functions. */
export const startWatchPageScript = `(${startWatchPage.toString()})({
  appScriptsId: ${scriptSafeJson(APP_SCRIPTS_ID)},
  shellId: ${scriptSafeJson(EARLY_PLAYER_ID)},
  hlsUrl: ${scriptSafeJson(HLS_SCRIPT_URL)},
  resumeLimits: ${scriptSafeJson(RESUME_LIMITS)},
  appDelayMs: ${APP_DELAY_MS},
  recordWaitMs: ${RECORD_WAIT_MS},
  playlistUrlFor: ${predictedPlaylistUrl.toString()},
  injectHls: ${injectHlsScript.toString()},
  hasMediaSource: ${hasMediaSource.toString()},
  hlsOptions: ${hlsOptions.toString()},
  resumeWithin: ${resumeWithin.toString()},
  startEarlyPlayer: ${startEarlyPlayer.toString()}
});`;
