import { useEffect, type RefObject } from "react";
import { saveProgress } from "@/lib/client/progress";

const SAVE_EVERY_MS = 5_000;

/**
 * Saves the resume position every 5 s while playing, on pause and end, and when the page
 * is hidden or left. Hidden and pagehide use keepalive: the last chance on mobile, where a
 * backgrounded tab may be killed without an unload. Nothing is saved before the first
 * frame plays, so opening a video and leaving keeps the old position.
 */
export function useProgressSaver(
  videoRef: RefObject<HTMLVideoElement | null>,
  videoId: string,
  enabled: boolean,
): void {
  useEffect(() => {
    const video = videoRef.current;
    if (!video || !enabled) return;
    // An element taken over from the early player may be playing already.
    let played = video.played.length > 0;
    let lastSaved = Number.NaN;
    // Read on timeupdate, not at save time: on unmount the source may already be detached,
    // and a detached video reports 0.
    let position = video.currentTime;

    const save = (keepalive = false): void => {
      if (!played || !Number.isFinite(position)) return;
      if (Math.abs(position - lastSaved) < 1) return;
      lastSaved = position;
      void saveProgress(videoId, position, { keepalive });
    };
    const onPlaying = (): void => {
      played = true;
    };
    const onTimeUpdate = (): void => {
      if (video.readyState >= HTMLMediaElement.HAVE_METADATA) position = video.currentTime;
    };
    const onPause = (): void => {
      onTimeUpdate();
      save();
    };
    const onVisibility = (): void => {
      if (document.visibilityState === "hidden") save(true);
    };
    const onPageHide = (): void => save(true);
    const timer = window.setInterval(() => {
      if (!video.paused) save();
    }, SAVE_EVERY_MS);

    video.addEventListener("playing", onPlaying);
    video.addEventListener("timeupdate", onTimeUpdate);
    video.addEventListener("pause", onPause);
    video.addEventListener("ended", onPause);
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", onPageHide);
    return () => {
      save(true);
      window.clearInterval(timer);
      video.removeEventListener("playing", onPlaying);
      video.removeEventListener("timeupdate", onTimeUpdate);
      video.removeEventListener("pause", onPause);
      video.removeEventListener("ended", onPause);
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", onPageHide);
    };
  }, [videoRef, videoId, enabled]);
}
