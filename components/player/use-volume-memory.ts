import { useEffect, type RefObject } from "react";

const KEY = "reelgate:volume";

/** Remembers volume and mute across videos and visits (localStorage, nothing sensitive). */
export function useVolumeMemory(videoRef: RefObject<HTMLVideoElement | null>): void {
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    try {
      const saved = JSON.parse(localStorage.getItem(KEY) ?? "null") as {
        volume?: unknown;
        muted?: unknown;
      } | null;
      if (typeof saved?.volume === "number" && saved.volume >= 0 && saved.volume <= 1) {
        video.volume = saved.volume;
      }
      if (typeof saved?.muted === "boolean") video.muted = saved.muted;
    } catch {
      // Storage blocked or garbage: keep the defaults.
    }
    const onChange = () => {
      try {
        localStorage.setItem(KEY, JSON.stringify({ volume: video.volume, muted: video.muted }));
      } catch {
        // Storage full or blocked: the setting just will not stick.
      }
    };
    video.addEventListener("volumechange", onChange);
    return () => video.removeEventListener("volumechange", onChange);
  }, [videoRef]);
}
