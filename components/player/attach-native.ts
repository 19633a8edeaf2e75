import { isGranted, type MediaAccess } from "@/lib/client/media-access";
import type { SourceCallbacks } from "./attach-hls";

const MAX_RECOVERIES = 2;

/**
 * Plays `url` with the browser's own HLS (iPhone). There is no request hook here: a 403
 * surfaces as a network or "source not supported" error (the CDN's XML body is no
 * playlist), so the player renews the cookies and reloads the source where it was.
 */
export function attachNative(
  video: HTMLVideoElement,
  url: string,
  startPosition: number | null,
  callbacks: SourceCallbacks,
  access: MediaAccess,
): () => void {
  let disposed = false;
  let recoveries = 0;
  let sourceSetAt = 0;

  const setSource = (position: number | null, play: boolean): void => {
    sourceSetAt = Date.now();
    video.src = url;
    if (position === null && !play) return;
    video.addEventListener(
      "loadedmetadata",
      () => {
        if (position !== null) video.currentTime = position;
        if (play) video.play().catch(() => undefined);
      },
      { once: true },
    );
  };

  const onLoadedMetadata = (): void => callbacks.onReady([]);
  const onPlaying = (): void => {
    recoveries = 0;
  };
  const onError = (): void => {
    if (disposed || callbacks.isSessionEnded()) return;
    const code = video.error?.code;
    const recoverable =
      code === MediaError.MEDIA_ERR_NETWORK || code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED;
    if (!recoverable || recoveries >= MAX_RECOVERIES) {
      callbacks.onFatal("The video could not be loaded. Check your connection and try again.");
      return;
    }
    recoveries += 1;
    const position = video.currentTime;
    const wasPlaying = !video.paused;
    access.renewNow({ ifNotRenewedSince: sourceSetAt }).then(
      (result) => {
        if (!disposed && isGranted(result)) setSource(position, wasPlaying);
      },
      () =>
        callbacks.onFatal("The video could not be loaded. Check your connection and try again."),
    );
  };

  video.addEventListener("loadedmetadata", onLoadedMetadata);
  video.addEventListener("playing", onPlaying);
  video.addEventListener("error", onError);
  setSource(startPosition, false);

  return () => {
    disposed = true;
    video.removeEventListener("loadedmetadata", onLoadedMetadata);
    video.removeEventListener("playing", onPlaying);
    video.removeEventListener("error", onError);
    video.removeAttribute("src");
    video.load();
  };
}
