"use client";

import { useEffect, type RefObject } from "react";
import { COVERAGE_BINS, type PlaybackBeacon } from "@/lib/contract/analytics-types";
import type { EarlyPlayer } from "./early-player";

/** A running view's beacon is sent this often, and whenever the page hides or playback stops. */
export const BEACON_EVERY_MS = 30_000;
const BEACON_URL = "/api/beacons";
/** A jump of the position larger than this between two time updates is a seek, not playback. */
const MAX_STEP_SECONDS = 3;

/** The player's own account of the view, on `window.__reelgateQoe` (tests read it). */
export interface QoeHandle {
  /** The view as its next beacon would describe it; null before the first play request. */
  snapshot: () => PlaybackBeacon | null;
}

declare global {
  interface Window {
    __reelgateQoe?: QoeHandle;
  }
}

/**
 * Measures one `<video>`'s playback for the analytics (QoE): the play request, the first
 * frame (startup time), rebuffers, errors, the seconds played per rendition (the height
 * of the decoded frames, so hls.js and native HLS count alike), and which hundredths of
 * the video were played. `send` gets the view's totals so far, numbered by `seq`.
 * `early`: the watch page's early player, whose Play press and first frame may have come
 * before this code was loaded.
 */
export function trackPlayback(
  video: HTMLVideoElement,
  videoId: string,
  early: Pick<EarlyPlayer, "playRequestedAt" | "firstFrameAt"> | null,
  send: (beacon: PlaybackBeacon) => void,
): { flush: () => void; snapshot: () => PlaybackBeacon | null; stop: () => void } {
  const now = () => performance.now();
  const bins = new Uint8Array(COVERAGE_BINS);
  let view: PlaybackBeacon | null = null;
  let requestedAt = early?.playRequestedAt;
  let firstFrameAt = early?.firstFrameAt;
  let stalledAt: number | null = null;
  let lastPosition = video.currentTime;
  let changed = false;

  const begin = () => {
    view ??= {
      viewId: crypto.randomUUID(),
      videoId,
      seq: 0,
      watchSeconds: 0,
      furthestSeconds: 0,
      rebufferCount: 0,
      rebufferSeconds: 0,
      errorCount: 0,
      renditions: {},
      coverage: "",
    };
    changed = true;
    return view;
  };
  const markPlayed = () => {
    const duration = video.duration;
    if (!Number.isFinite(duration) || duration <= 0) return;
    for (let i = 0; i < video.played.length; i++) {
      const first = Math.floor((video.played.start(i) / duration) * COVERAGE_BINS);
      const last = Math.ceil((video.played.end(i) / duration) * COVERAGE_BINS);
      bins.fill(1, Math.max(0, first), Math.min(COVERAGE_BINS, last));
    }
  };
  if (requestedAt !== undefined || !video.paused) {
    // The early player may have played a while before this code ran: what it played counts.
    const v = begin();
    for (let i = 0; i < video.played.length; i++)
      v.watchSeconds += video.played.end(i) - video.played.start(i);
    v.furthestSeconds = video.played.length > 0 ? video.played.end(video.played.length - 1) : 0;
    if (v.watchSeconds > 0 && video.videoHeight > 0)
      v.renditions[`${video.videoHeight}p`] = v.watchSeconds;
    markPlayed();
  }

  const snapshot = (): PlaybackBeacon | null => {
    if (!view) return null;
    const startupMs =
      requestedAt !== undefined && firstFrameAt !== undefined
        ? Math.max(0, Math.round(firstFrameAt - requestedAt))
        : undefined;
    const round = (n: number) => Math.round(n * 1000) / 1000;
    const renditions: Record<string, number> = {};
    for (const [name, s] of Object.entries(view.renditions)) renditions[name] = round(s);
    return {
      ...view,
      ...(startupMs === undefined ? {} : { startupMs }),
      watchSeconds: round(view.watchSeconds),
      furthestSeconds: round(view.furthestSeconds),
      rebufferSeconds: round(view.rebufferSeconds),
      renditions,
      coverage: Array.from(bins).join(""),
    };
  };

  const flush = () => {
    if (!view || !changed) return;
    markPlayed();
    changed = false;
    view.seq += 1;
    const beacon = snapshot();
    if (beacon) send(beacon);
  };

  const endStall = () => {
    if (stalledAt === null || !view) return;
    view.rebufferCount += 1;
    view.rebufferSeconds += (now() - stalledAt) / 1000;
    stalledAt = null;
    changed = true;
  };

  const onPlay = () => {
    requestedAt ??= now();
    begin();
  };
  const onPlaying = () => {
    endStall();
    if (firstFrameAt === undefined && requestedAt !== undefined) {
      firstFrameAt = now();
      changed = true;
      // The view and its startup time are on record at once, whatever happens next.
      flush();
    }
  };
  const onWaiting = () => {
    // Waiting after a seek is the seek's cost, and before the first frame it is startup.
    if (firstFrameAt !== undefined && !video.seeking && !video.paused) stalledAt ??= now();
  };
  const onTime = () => {
    const position = video.currentTime;
    const step = position - lastPosition;
    lastPosition = position;
    if (!view || step <= 0 || step > MAX_STEP_SECONDS) return;
    endStall();
    view.watchSeconds += step;
    view.furthestSeconds = Math.max(view.furthestSeconds, position);
    if (video.videoHeight > 0) {
      const name = `${video.videoHeight}p`;
      view.renditions[name] = (view.renditions[name] ?? 0) + step;
    }
    const duration = video.duration;
    if (Number.isFinite(duration) && duration > 0) {
      const last = Math.min(COVERAGE_BINS - 1, Math.floor((position / duration) * COVERAGE_BINS));
      const first = Math.max(0, Math.floor(((position - step) / duration) * COVERAGE_BINS));
      bins.fill(1, first, last + 1);
    }
    changed = true;
  };
  const onSeeking = () => {
    lastPosition = video.currentTime;
    stalledAt = null;
  };
  const onError = () => {
    const v = begin();
    v.errorCount += 1;
    v.lastError = `media-${video.error?.code ?? 0}`;
    flush();
  };
  const onHide = () => {
    if (document.visibilityState === "hidden") flush();
  };

  const events: [string, () => void][] = [
    ["play", onPlay],
    ["playing", onPlaying],
    ["waiting", onWaiting],
    ["timeupdate", onTime],
    ["seeking", onSeeking],
    ["error", onError],
    ["pause", flush],
    ["ended", flush],
  ];
  for (const [name, fn] of events) video.addEventListener(name, fn);
  document.addEventListener("visibilitychange", onHide);
  window.addEventListener("pagehide", flush);
  const timer = setInterval(flush, BEACON_EVERY_MS);
  if (firstFrameAt !== undefined && requestedAt !== undefined) flush();

  return {
    flush,
    snapshot,
    stop() {
      flush();
      clearInterval(timer);
      for (const [name, fn] of events) video.removeEventListener(name, fn);
      document.removeEventListener("visibilitychange", onHide);
      window.removeEventListener("pagehide", flush);
    },
  };
}

/** Sends a beacon so that it survives the page going away (sendBeacon, else a keepalive fetch). */
export function sendBeacon(beacon: PlaybackBeacon): void {
  const body = JSON.stringify(beacon);
  const blob = new Blob([body], { type: "application/json" });
  if (navigator.sendBeacon?.(BEACON_URL, blob)) return;
  void fetch(BEACON_URL, {
    method: "POST",
    body,
    headers: { "content-type": "application/json" },
    keepalive: true,
    credentials: "same-origin",
  }).catch(() => undefined);
}

/** The player's analytics beacons for `videoId` (see trackPlayback). */
export function usePlaybackBeacons(
  videoRef: RefObject<HTMLVideoElement | null>,
  videoId: string,
  early: RefObject<EarlyPlayer | null>,
): void {
  useEffect(() => {
    const element = videoRef.current;
    if (!element) return;
    const tracker = trackPlayback(element, videoId, early.current, sendBeacon);
    const handle: QoeHandle = { snapshot: tracker.snapshot };
    window.__reelgateQoe = handle;
    return () => {
      tracker.stop();
      if (window.__reelgateQoe === handle) delete window.__reelgateQoe;
    };
  }, [videoRef, videoId, early]);
}
