import type Hls from "hls.js";

export type HlsClass = typeof Hls;

declare global {
  interface Window {
    /** Set by the hls.js script when it has run. */
    Hls?: HlsClass;
    /** The one load of that script, shared by the watch page's inline script and the player. */
    __reelgateHls?: Promise<HlsClass>;
  }
}

/**
 * Where the static build serves Reelgate's hls.js (built from hls.js's sources for fMP4
 * only, scripts/hls-asset.mjs): a content-hashed file under /_next/static/, so it is cached
 * as immutable like Next's own chunks (next.config.mjs sets the name,
 * scripts/finish-static-build.ts copies the file).
 *
 * Why a script of its own and not a bundled import: the watch page starts playback from an
 * inline script before Next's bundles run (early-player.ts), and the player adopts that
 * source, so both must use one hls.js. The build is a classic <script> that defines the
 * `Hls` global, as that inline script needs.
 */
export const HLS_SCRIPT_URL = process.env.NEXT_PUBLIC_HLS_SCRIPT ?? "";

/**
 * Loads hls.js once per page: the answer of an earlier call (or of the inline script) is
 * shared. Self-contained, because the watch page's inline script embeds it as text.
 */
export function injectHlsScript(url: string): Promise<HlsClass> {
  const w = window;
  if (w.__reelgateHls) return w.__reelgateHls;
  const loading = new Promise<HlsClass>(function (resolve, reject) {
    if (w.Hls) {
      resolve(w.Hls);
      return;
    }
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    script.onload = function () {
      if (w.Hls) resolve(w.Hls);
      else reject(new Error("hls.js loaded without defining Hls"));
    };
    script.onerror = function () {
      // A later call (a retry in the player) may try again.
      if (w.__reelgateHls === loading) delete w.__reelgateHls;
      reject(new Error("hls.js could not be loaded"));
    };
    document.head.appendChild(script);
  });
  w.__reelgateHls = loading;
  return loading;
}

/** hls.js, loaded on first use. */
export function loadHls(): Promise<HlsClass> {
  return injectHlsScript(HLS_SCRIPT_URL);
}

let preloaded = false;

/** Downloads hls.js into the cache without running it: a member is about to open a video. */
export function preloadHls(): void {
  if (preloaded || window.Hls || window.__reelgateHls || !HLS_SCRIPT_URL) return;
  preloaded = true;
  const link = document.createElement("link");
  link.rel = "preload";
  link.as = "script";
  link.href = HLS_SCRIPT_URL;
  document.head.append(link);
}
