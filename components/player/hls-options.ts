/**
 * The options of every hls.js source the player makes, whoever makes it: the watch page's
 * inline script (early-player.ts) or the player itself (attach-hls.ts). Self-contained, as
 * the inline script embeds it as text; `fragDefaults` is `Hls.DefaultConfig.fragLoadPolicy.default`.
 *
 * `worker`: whether hls.js transmuxes in its worker. Every source the player makes does;
 * the early player's does not (early-player.ts says why).
 */
export function hlsOptions<T extends object>(
  fragDefaults: T,
  startPosition: number,
  worker: boolean,
) {
  return {
    startPosition: startPosition,
    enableWorker: worker,
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
