import { loadHls, type HlsClass } from "./hls-library";

/** How this browser will play HLS. */
export type PlaybackEngine =
  { kind: "hls"; Hls: HlsClass } | { kind: "native" } | { kind: "unsupported" };

/**
 * Media Source Extensions, without which hls.js cannot play. Self-contained: the watch
 * page's inline script embeds it as text (early-player.ts).
 */
export function hasMediaSource(): boolean {
  return "MediaSource" in window || "ManagedMediaSource" in window || "WebKitMediaSource" in window;
}

/**
 * hls.js wherever Media Source Extensions exist, the browser's own HLS only where they do
 * not (iPhone before iOS 17.1). Why not trust `canPlayType` first: some Chromium builds
 * (Android, newer desktop releases) answer "maybe" for HLS, and native playback offers no
 * quality levels and no hook to renew cookies on a 403 and re-send the request; with
 * hls.js a lapsed cookie costs a renewal, not a broken stream. iPadOS and macOS Safari
 * have MSE and take hls.js too.
 *
 * hls.js is Reelgate's own build for clear fMP4 (scripts/hls-asset.mjs: no DRM, alternate
 * audio, in-playlist subtitles or MPEG-TS, which the ladder does not use; captions are
 * native <track>), loaded by the player only where MSE exists. The watch page's static
 * HTML names it in a plain <script> for the early player, so a browser opening that page
 * directly downloads it in any case. Rejects when hls.js cannot be loaded.
 */
export async function choosePlaybackEngine(video: HTMLVideoElement): Promise<PlaybackEngine> {
  if (hasMediaSource()) {
    const Hls = await loadHls();
    if (Hls.isSupported()) return { kind: "hls", Hls };
  }
  if (video.canPlayType("application/vnd.apple.mpegurl") !== "") return { kind: "native" };
  return { kind: "unsupported" };
}
