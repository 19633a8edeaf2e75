import type Hls from "hls.js";
import { mediaAccess } from "@/lib/client/media-access";
import { createHlsSource } from "./attach-hls";
import { choosePlaybackEngine } from "./choose-engine";
import { earlyPlayerHolds } from "./early-player";

// The watch page knows the playlist as soon as the video's record arrives, usually
// before React has rendered the player. The source is made then, so the playlists
// load while the page hydrates; the player adopts it when it mounts.

/** Destroyed if no player takes it by then (the member left before it mounted). */
const UNCLAIMED_MS = 30_000;

/** The url asked for, until its source is made or taken (hls.js may still be loading). */
let wanted: { url: string; startPosition: number | null } | null = null;

let prepared: {
  hls: Hls;
  url: string;
  startPosition: number | null;
  failed: boolean;
  timer: ReturnType<typeof setTimeout>;
} | null = null;

/**
 * Starts loading `url` with hls.js ahead of the player; nothing where hls.js will not run,
 * or where the page's early player plays it already.
 */
export function prepareHlsSource(videoId: string, url: string, startPosition: number | null): void {
  if (typeof document === "undefined" || prepared?.url === url || earlyPlayerHolds(url)) return;
  wanted = { url, startPosition };
  const request = wanted;
  choosePlaybackEngine(document.createElement("video")).then(
    (engine) => {
      // Taken (or replaced) while hls.js loaded: the player makes its own source.
      if (wanted !== request || engine.kind !== "hls") return;
      wanted = null;
      discardPreparedSource();
      const hls = createHlsSource(engine.Hls, url, startPosition, mediaAccess({ videoId }));
      const entry = {
        hls,
        url,
        startPosition,
        failed: false,
        timer: setTimeout(discardPreparedSource, UNCLAIMED_MS),
      };
      // Recovery is the player's; a source that failed before it came is rebuilt by it.
      hls.on(engine.Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) entry.failed = true;
      });
      prepared = entry;
    },
    () => undefined,
  );
}

/** The prepared source for exactly this url and start, handed out once; else null. */
export function takePreparedHlsSource(url: string, startPosition: number | null): Hls | null {
  wanted = null;
  const entry = prepared;
  if (!entry || entry.url !== url || entry.startPosition !== startPosition) return null;
  prepared = null;
  clearTimeout(entry.timer);
  if (entry.failed) {
    entry.hls.destroy();
    return null;
  }
  return entry.hls;
}

function discardPreparedSource(): void {
  if (!prepared) return;
  clearTimeout(prepared.timer);
  prepared.hls.destroy();
  prepared = null;
}
