import { apiFetch, readApiResponse } from "@/lib/client/api";
import { isGranted, mediaAccess } from "@/lib/client/media-access";
import type { VideoSummary } from "@/lib/contract/types";
import { prepareHlsSource } from "@/components/player/prepared-source";
import { resumePosition } from "@/components/player/resume-offer";
import { takeWatchBoot } from "./watch-boot";

// Time to first frame on the watch page is a chain: the video's record, the media
// cookies, the player and hls.js, then the playlists and the first segment. The first
// four do not depend on each other, nor on React: they start while the page's scripts
// are still being evaluated, instead of one by one after hydration.

let pending: { id: string; video: Promise<VideoSummary> } | null = null;

/** Starts loading what the watch page for `id` needs; repeated calls share the requests. */
export function preloadWatch(id: string): void {
  if (pending?.id === id) return;
  // Opened directly, the page's inline script (watch-boot-script.ts) has sent both already.
  const boot = takeWatchBoot(id);
  const video = boot
    ? readApiResponse<VideoSummary>(boot.video, { redirectOn401: true })
    : apiFetch<VideoSummary>(`/api/videos/${encodeURIComponent(id)}`, { redirectOn401: true });
  // Whoever takes the answer handles its failure; until then it must not be "unhandled".
  video.catch(() => undefined);
  // This video's playback cookies: the one credential request on the start path.
  const access = mediaAccess({ videoId: id });
  const cookies = boot ? access.adoptIssuance(boot.cookies) : access.ensureMediaCookies();
  cookies.catch(() => undefined);
  pending = { id, video };
  // With both in, the playlists can load: the player adopts this source when it mounts,
  // with the same start position it computes from the same record.
  void Promise.all([video, cookies]).then(
    ([record, granted]) => {
      if (!isGranted(granted)) return;
      prepareHlsSource(
        id,
        record.playlistUrl,
        resumePosition(record.progress?.positionSeconds, record.durationSeconds),
      );
    },
    () => undefined,
  );
}

/**
 * The record for `id` from what was preloaded, handed out once, or from a preload started
 * now (a page reached by a client-side link was not there to preload). A retry calls
 * apiFetch itself instead.
 */
export function takePreloadedVideo(id: string): Promise<VideoSummary> {
  preloadWatch(id);
  const { video } = pending!;
  pending = null;
  return video;
}

/** The `v` of a /watch URL, or null for any other page. */
export function watchIdFrom(location: Pick<Location, "pathname" | "search">): string | null {
  if (location.pathname.replace(/\/+$/, "") !== "/watch") return null;
  return new URLSearchParams(location.search).get("v")?.trim() || null;
}
