import type Hls from "hls.js";
import type { ErrorData, Level } from "hls.js";
import type { MediaAccess } from "@/lib/client/media-access";
import { hlsOptions } from "./hls-options";
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

/** The loader that renews the video's cookies on a 403 and re-sends the request. */
function mediaAccessLoader(HlsClass: typeof Hls, access: MediaAccess) {
  return createMediaAccessLoader(HlsClass.DefaultConfig.loader, (options) =>
    access.renewNow(options),
  );
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
  access: MediaAccess,
): Hls {
  const hls = new HlsClass({
    ...hlsOptions(HlsClass.DefaultConfig.fragLoadPolicy.default, startPosition ?? -1),
    loader: mediaAccessLoader(HlsClass, access),
  });
  hls.loadSource(url);
  return hls;
}

/**
 * Takes over a source that the watch page's inline script made and attached before the
 * app loaded (early-player.ts): from now on its requests go through the cookie-renewing
 * loader too. hls.js makes a loader per request from `config.loader`, so requests already
 * under way finish as they are and every later one renews on a 403.
 */
export function adoptHlsSource(HlsClass: typeof Hls, hls: Hls, access: MediaAccess): void {
  hls.config.loader = mediaAccessLoader(HlsClass, access);
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
  // An adopted source may be playing in this element already: attaching again would
  // throw its buffer away.
  const attached = hls.media === video;
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

  if (!attached) hls.attachMedia(video);
  if (hls.levels.length > 0) callbacks.onReady(levelInfo(hls.levels));
  if (hls.currentLevel >= 0) callbacks.onLevelSwitched(hls.currentLevel);
}

function levelInfo(levels: readonly Level[]): LevelInfo[] {
  return levels.map((level) => ({
    height: level.height,
    width: level.width,
    bitrate: level.bitrate,
  }));
}
