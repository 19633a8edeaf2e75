"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { preloadHls } from "@/components/player/hls-library";
import { PlayIcon } from "@/components/ui/icons";
import type { VideoSummary } from "@/lib/contract/types";
import { describeDuration, formatDuration, watchedPercent } from "./format-duration";
import { VideoPoster } from "./video-poster";

/** Props of {@link VideoCard}. */
export interface VideoCardProps {
  video: VideoSummary;
  mediaReady: boolean;
  /** Show the saved position as a progress bar ("continue watching"). */
  showProgress?: boolean;
  priority?: boolean;
}

/** Watch URL of a video: records live in the query string (the export has no per-video pages). */
export function watchHref(id: string): string {
  return `/watch?v=${encodeURIComponent(id)}`;
}

/** A poster card; the title link covers the whole card. */
export function VideoCard({ video, mediaReady, showProgress = false, priority }: VideoCardProps) {
  const router = useRouter();
  const href = watchHref(video.id);
  // The watch page's bundle and hls.js (about 120 KB gzipped, a script of its own) are
  // fetched when a member points at, focuses or touches a video, not for every card that
  // scrolls into view.
  const prefetch = () => {
    router.prefetch(href);
    preloadHls();
  };
  const duration = video.durationSeconds;
  const percent =
    showProgress && video.progress
      ? watchedPercent(video.progress.positionSeconds, duration)
      : null;
  return (
    <article className="group relative flex flex-col">
      <div className="relative aspect-video overflow-hidden rounded-card bg-surface-2 shadow-card ring-1 ring-line transition duration-300 group-focus-within:ring-2 group-focus-within:ring-accent group-hover:-translate-y-0.5 group-hover:shadow-lift motion-reduce:transition-none motion-reduce:group-hover:translate-y-0">
        <VideoPoster
          id={video.id}
          posterUrl={video.posterUrl}
          mediaReady={mediaReady}
          priority={priority}
        />
        <div
          aria-hidden="true"
          className="absolute inset-0 bg-linear-to-t from-black/55 via-black/0 to-black/0 opacity-70 transition-opacity group-hover:opacity-100"
        />
        <div
          aria-hidden="true"
          className="absolute inset-0 flex items-center justify-center opacity-0 transition-opacity duration-200 group-hover:opacity-100"
        >
          <span className="flex size-12 items-center justify-center rounded-full bg-white/90 text-black shadow-lg">
            <PlayIcon className="ml-0.5 size-5" />
          </span>
        </div>
        {duration !== null && (
          <span className="absolute right-2 bottom-2 rounded-md bg-black/75 px-1.5 py-0.5 font-mono text-xs font-medium text-white tabular-nums backdrop-blur-sm">
            <span className="sr-only">Duration: {describeDuration(duration)}, </span>
            <span aria-hidden="true">{formatDuration(duration)}</span>
          </span>
        )}
        {percent !== null && (
          <div
            role="progressbar"
            aria-label={`Progress in ${video.title}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={`${percent}% watched`}
            className="absolute inset-x-0 bottom-0 h-1 bg-white/25"
          >
            <div className="h-full bg-accent" style={{ width: `${percent}%` }} />
          </div>
        )}
      </div>
      <div className="mt-3 min-w-0 px-0.5">
        <h3 className="truncate text-sm font-semibold text-fg sm:text-base">
          <Link
            href={href}
            prefetch={false}
            onMouseEnter={prefetch}
            onFocus={prefetch}
            onTouchStart={prefetch}
            className="after:absolute after:inset-0 after:rounded-card focus-visible:outline-none"
          >
            {video.title}
          </Link>
        </h3>
        {percent !== null && video.progress && duration ? (
          <p className="mt-0.5 text-xs text-muted">
            {formatDuration(Math.max(0, duration - video.progress.positionSeconds))} left
          </p>
        ) : (
          video.description && (
            <p className="mt-1 line-clamp-2 text-sm text-muted">{video.description}</p>
          )
        )}
      </div>
    </article>
  );
}
