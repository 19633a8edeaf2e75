import type Hls from "hls.js";

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
 * hls.js (the light build: no DRM, alternate audio or in-playlist subtitles, which the
 * ladder does not use; captions are native <track>) is only downloaded when it will run.
 */
export async function choosePlaybackEngine(video: HTMLVideoElement): Promise<PlaybackEngine> {
  if (hasMediaSource()) {
    const { default: HlsClass } = await import("hls.js/light");
    if (HlsClass.isSupported()) return { kind: "hls", Hls: HlsClass };
  }
  if (video.canPlayType("application/vnd.apple.mpegurl") !== "") return { kind: "native" };
  return { kind: "unsupported" };
}
