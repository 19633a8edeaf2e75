import { useLayoutEffect, useRef, type RefObject } from "react";
import type { CaptionTrack } from "@/lib/contract/types";
import { videoElementClass } from "./control-styles";
import { takeEarlyPlayer, type EarlyPlayer } from "./early-player";

/**
 * The player's <video>, made here rather than rendered by React: opened directly, the
 * watch page's early player (early-player.ts) has been playing in a <video> of the static
 * HTML, and the player moves that very element into `slotRef`, so playback goes on
 * untouched. Otherwise a new element is made. Either way it is in place, and `videoRef`
 * set, before any effect of the player runs.
 *
 * Returns the early player that was taken, for the source to adopt its hls.js instance
 * (use-playback-source.ts); null when there was none.
 */
export function useVideoElement(
  slotRef: RefObject<HTMLDivElement | null>,
  videoRef: RefObject<HTMLVideoElement | null>,
  playlistUrl: string,
): RefObject<EarlyPlayer | null> {
  const elementRef = useRef<HTMLVideoElement | null>(null);
  const earlyRef = useRef<EarlyPlayer | null>(null);

  useLayoutEffect(() => {
    const slot = slotRef.current;
    if (!slot) return;
    // Kept across a remount (React's strict mode runs this twice): taken once, used again.
    let element = elementRef.current;
    if (!element) {
      const early = takeEarlyPlayer(playlistUrl);
      earlyRef.current = early;
      element = early?.video ?? document.createElement("video");
      element.className = videoElementClass;
      element.dataset.testid = "video";
      element.playsInline = true;
      element.preload = "metadata";
      elementRef.current = element;
    }
    slot.prepend(element);
    videoRef.current = element;
    return () => {
      element.remove();
      videoRef.current = null;
    };
  }, [slotRef, videoRef, playlistUrl]);

  return earlyRef;
}

/** The poster once the media cookies are in (it is under /media/ too). */
export function useVideoPoster(
  videoRef: RefObject<HTMLVideoElement | null>,
  posterUrl: string | null,
  accessReady: boolean,
): void {
  useLayoutEffect(() => {
    const element = videoRef.current;
    if (element && accessReady && posterUrl) element.poster = posterUrl;
  }, [videoRef, posterUrl, accessReady]);
}

/** One <track> per caption file once the media cookies are in; removed on unmount. */
export function useCaptionTracks(
  videoRef: RefObject<HTMLVideoElement | null>,
  captions: readonly CaptionTrack[],
  accessReady: boolean,
): void {
  useLayoutEffect(() => {
    const element = videoRef.current;
    if (!element || !accessReady) return;
    const tracks = captions.map((caption) => {
      const track = document.createElement("track");
      track.kind = "subtitles";
      track.src = caption.url;
      track.srclang = caption.lang;
      track.label = caption.label;
      element.append(track);
      return track;
    });
    return () => {
      for (const track of tracks) track.remove();
    };
  }, [videoRef, captions, accessReady]);
}
