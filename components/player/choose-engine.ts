import Hls from "hls.js/light";

/** How this browser will play HLS. */
export type PlaybackEngine =
  { kind: "hls"; Hls: typeof Hls } | { kind: "native" } | { kind: "unsupported" };

function hasMediaSource(): boolean {
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
 * hls.js is the light build (no DRM, alternate audio or in-playlist subtitles, which the
 * ladder does not use; captions are native <track>). It is imported here, not on demand:
 * only the watch page's bundle holds it, and it then downloads alongside the page.
 */
export function choosePlaybackEngine(video: HTMLVideoElement): PlaybackEngine {
  if (hasMediaSource() && Hls.isSupported()) return { kind: "hls", Hls };
  if (video.canPlayType("application/vnd.apple.mpegurl") !== "") return { kind: "native" };
  return { kind: "unsupported" };
}
