import { useCallback, useEffect, useState, type RefObject } from "react";

/** iPhone Safari's own video full screen; not in lib.dom. */
function enterVideoFullscreen(video: HTMLVideoElement & { webkitEnterFullscreen?: () => void }) {
  video.webkitEnterFullscreen?.();
}

/**
 * Full screen for the player container, so the custom controls stay on screen. iPhone
 * Safari has no element fullscreen; there the video itself goes full screen with the
 * system controls.
 */
export function useFullscreen(
  containerRef: RefObject<HTMLElement | null>,
  videoRef: RefObject<HTMLVideoElement | null>,
): { fullscreen: boolean; toggleFullscreen: () => void } {
  const [fullscreen, setFullscreen] = useState(false);

  useEffect(() => {
    const onChange = () =>
      setFullscreen(
        document.fullscreenElement !== null && document.fullscreenElement === containerRef.current,
      );
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, [containerRef]);

  const toggleFullscreen = useCallback(() => {
    if (document.fullscreenElement) {
      void document.exitFullscreen().catch(() => undefined);
      return;
    }
    const container = containerRef.current;
    if (container && typeof container.requestFullscreen === "function") {
      void container.requestFullscreen().catch(() => undefined);
      return;
    }
    if (videoRef.current) enterVideoFullscreen(videoRef.current);
  }, [containerRef, videoRef]);

  return { fullscreen, toggleFullscreen };
}

/** Whether picture-in-picture can be offered (Chromium, Safari; not Firefox's own PiP). */
export function pictureInPictureSupported(video: HTMLVideoElement | null): boolean {
  return (
    typeof document !== "undefined" &&
    document.pictureInPictureEnabled === true &&
    !(video?.disablePictureInPicture ?? false)
  );
}

export async function togglePictureInPicture(video: HTMLVideoElement): Promise<void> {
  try {
    if (document.pictureInPictureElement) await document.exitPictureInPicture();
    else await video.requestPictureInPicture();
  } catch {
    // Refused without a user gesture or before metadata: nothing to tell the member.
  }
}
