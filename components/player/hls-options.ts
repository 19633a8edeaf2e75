/**
 * The options of every hls.js source the player makes, whoever makes it: the watch page's
 * inline script (early-player.ts) or the player itself (attach-hls.ts). Self-contained, as
 * the inline script embeds it as text; `fragDefaults` is `Hls.DefaultConfig.fragLoadPolicy.default`.
 */
export function hlsOptions<T extends object>(fragDefaults: T, startPosition: number) {
  return {
    startPosition: startPosition,
    // Reelgate's hls.js has no transmuxer worker (scripts/hls-asset.mjs): the segments are
    // fMP4, which it passes to Media Source Extensions as they are, a few milliseconds of
    // main thread per segment. Starting a worker cost the first frame more than that.
    enableWorker: false,
    // No point fetching 720p into a 400 px wide player; a level picked by hand is not capped.
    capLevelToPlayerSize: true,
    // A source made before the player mounts fetches its level playlist and first segment
    // at once, not when the video element arrives.
    startFragPrefetch: true,
    // Enough back buffer for the usual "go back 10 s" without holding minutes of video.
    backBufferLength: 60,
    // hls.js retries a failing segment 6 times (about 30 s) before each fatal error, and the
    // player restarts loading 3 times on top: over two minutes of spinner on a dead CDN.
    // Three tries per round keep a short outage invisible and a long one under a minute.
    fragLoadPolicy: {
      default: Object.assign({}, fragDefaults, {
        errorRetry: { maxNumRetry: 3, retryDelayMs: 1000, maxRetryDelayMs: 4000 },
      }),
    },
  };
}
