import type Hls from "hls.js";
import type { ErrorData, Level } from "hls.js";
import { renewNow } from "@/lib/client/media-access";
import { createMediaAccessLoader } from "./media-access-loader";
import type { LevelInfo } from "./quality-levels";

/** How the attached source reports back to the player. */
export interface SourceCallbacks {
  onReady: (levels: LevelInfo[]) => void;
  onLevelSwitched: (level: number) => void;
  onFatal: (message: string) => void;
  /** After sign-out every failure is expected; the session overlay says why. */
  isSessionEnded: () => boolean;
}

const MAX_NETWORK_RECOVERIES = 3;
const MAX_MEDIA_RECOVERIES = 2;

function describe(HlsClass: typeof Hls, data: ErrorData): string {
  if (data.type === HlsClass.ErrorTypes.NETWORK_ERROR) {
    return "The video could not be loaded. Check your connection and try again.";
  }
  if (data.type === HlsClass.ErrorTypes.MEDIA_ERROR) {
    return "This video could not be decoded by your browser.";
  }
  return "Playback stopped because of an unexpected error.";
}

/**
 * hls.js for `url`, already loading its playlists but not yet playing anywhere: the
 * watch page makes it before React has rendered the player (prepared-source.ts), and
 * {@link attachHls} connects it to the video element later.
 */
export function createHlsSource(
  HlsClass: typeof Hls,
  url: string,
  startPosition: number | null,
): Hls {
  const fragDefaults = HlsClass.DefaultConfig.fragLoadPolicy.default;
  const hls = new HlsClass({
    loader: createMediaAccessLoader(HlsClass.DefaultConfig.loader, renewNow),
    startPosition: startPosition ?? -1,
    // No point fetching 720p into a 400 px wide player; a level picked by hand is not capped.
    capLevelToPlayerSize: true,
    // A source made before the player mounts (prepared-source.ts) fetches its level
    // playlist and first segment at once, not when the video element arrives.
    startFragPrefetch: true,
    // Enough back buffer for the usual "go back 10 s" without holding minutes of video.
    backBufferLength: 60,
    // hls.js retries a failing segment 6 times (about 30 s) before each fatal error, and the
    // player restarts loading 3 times on top: over two minutes of spinner on a dead CDN.
    // Three tries per round keep a short outage invisible and a long one under a minute.
    fragLoadPolicy: {
      default: {
        ...fragDefaults,
        errorRetry: { maxNumRetry: 3, retryDelayMs: 1000, maxRetryDelayMs: 4000 },
      },
    },
  });
  hls.loadSource(url);
  return hls;
}

/**
 * Plays the source of {@link createHlsSource} in `video`, with the player's error
 * recovery; the caller destroys the instance. Events that fired before this call (the
 * manifest may be parsed already) are replayed from the instance's state.
 */
export function attachHls(
  HlsClass: typeof Hls,
  hls: Hls,
  video: HTMLVideoElement,
  url: string,
  callbacks: SourceCallbacks,
): void {
  let destroyed = false;
  let networkRecoveries = 0;
  let mediaRecoveries = 0;

  hls.on(HlsClass.Events.DESTROYING, () => {
    destroyed = true;
  });
  hls.on(HlsClass.Events.MANIFEST_PARSED, (_event, data) =>
    callbacks.onReady(levelInfo(data.levels)),
  );
  hls.on(HlsClass.Events.LEVEL_SWITCHED, (_event, data) => callbacks.onLevelSwitched(data.level));
  hls.on(HlsClass.Events.FRAG_BUFFERED, () => {
    networkRecoveries = 0;
    mediaRecoveries = 0;
  });
  hls.on(HlsClass.Events.ERROR, (_event, data) => {
    if (!data.fatal || destroyed || callbacks.isSessionEnded()) return;
    const { ErrorTypes, ErrorDetails } = HlsClass;
    if (data.type === ErrorTypes.NETWORK_ERROR && networkRecoveries < MAX_NETWORK_RECOVERIES) {
      networkRecoveries += 1;
      // A failed manifest leaves nothing for startLoad() to resume from.
      const manifestFailed =
        data.details === ErrorDetails.MANIFEST_LOAD_ERROR ||
        data.details === ErrorDetails.MANIFEST_LOAD_TIMEOUT;
      window.setTimeout(() => {
        if (destroyed || callbacks.isSessionEnded()) return;
        if (manifestFailed) hls.loadSource(url);
        else hls.startLoad();
      }, 1000 * networkRecoveries);
      return;
    }
    if (data.type === ErrorTypes.MEDIA_ERROR && mediaRecoveries < MAX_MEDIA_RECOVERIES) {
      mediaRecoveries += 1;
      hls.recoverMediaError();
      return;
    }
    callbacks.onFatal(describe(HlsClass, data));
  });

  hls.attachMedia(video);
  if (hls.levels.length > 0) callbacks.onReady(levelInfo(hls.levels));
}

function levelInfo(levels: readonly Level[]): LevelInfo[] {
  return levels.map((level) => ({
    height: level.height,
    width: level.width,
    bitrate: level.bitrate,
  }));
}
