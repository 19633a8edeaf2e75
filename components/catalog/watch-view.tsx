"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FilmIcon } from "@/components/ui/icons";
import { LoadingPlaceholder, Skeleton } from "@/components/ui/skeleton";
import { earlyRecord, releaseEarlyPlayer } from "@/components/player/early-player";
import WatchPlayer from "@/components/player/watch-player";
import { ApiError, apiFetch } from "@/lib/client/api";
import type { VideoSummary } from "@/lib/contract/types";
import { describeDuration, formatDuration } from "./format-duration";
import { BackToVideos, DetailsSkeleton, playerFrameClass } from "./watch-layout";
import { preloadWatch, takePreloadedVideo, watchIdFrom } from "./watch-preload";

// Opened directly, the page's inline script has started the video already (the early
// player, see early-player.ts); otherwise the page starts what it needs as this module is
// evaluated, before React renders (see watch-preload.ts). Browser only: the static build
// evaluates this module too.
if (typeof window !== "undefined") {
  const id = watchIdFrom(window.location);
  if (id) preloadWatch(id);
}

type WatchState =
  | { status: "loading" }
  | { status: "ready"; video: VideoSummary }
  | { status: "not-found" }
  | { status: "error"; error: ApiError };

/** The /watch?v=ID page body. Needs a Suspense boundary (useSearchParams). */
export function WatchView() {
  const id = useSearchParams().get("v")?.trim() ?? "";
  const [attempt, setAttempt] = useState(0);
  const key = `${attempt}:${id}`;
  // Answers are stored with the key they belong to; any other key is loading.
  // The early player's record, when it is playing already: the player is rendered at once,
  // around the early player's <video>, which must not leave the page meanwhile.
  const [answer, setAnswer] = useState<{ key: string; state: WatchState } | null>(() => {
    const video = earlyRecord(id);
    return video ? { key: `0:${id}`, state: { status: "ready", video } } : null;
  });
  const state: WatchState = !id
    ? { status: "not-found" }
    : answer?.key === key
      ? answer.state
      : { status: "loading" };

  const answered = answer?.key === key;
  useEffect(() => {
    if (!id || answered) return;
    const controller = new AbortController();
    const settle = (next: WatchState) => setAnswer({ key, state: next });
    const request =
      attempt === 0
        ? takePreloadedVideo(id)
        : apiFetch<VideoSummary>(`/api/videos/${encodeURIComponent(id)}`, {
            signal: controller.signal,
            redirectOn401: true,
          });
    request
      .then((video) => {
        // The preloaded request cannot be aborted; its late answer is dropped here instead.
        if (!controller.signal.aborted) settle({ status: "ready", video });
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) return; // redirecting
        // A malformed id is as missing as an unknown one.
        if (err instanceof ApiError && [400, 404, 422].includes(err.status)) {
          settle({ status: "not-found" });
          return;
        }
        const error =
          err instanceof ApiError ? err : new ApiError(0, "unknown", "Something went wrong.");
        settle({ status: "error", error });
      });
    return () => controller.abort();
  }, [id, key, attempt, answered]);

  // Left before the player took the early playback over: stop it.
  useEffect(() => releaseEarlyPlayer, []);

  const readyTitle = state.status === "ready" ? state.video.title : null;
  useEffect(() => {
    if (readyTitle) document.title = `${readyTitle} · Reelgate`;
  }, [readyTitle]);

  return (
    <div className="mx-auto max-w-6xl">
      <BackToVideos />
      {state.status === "loading" && <WatchSkeleton />}
      {state.status === "not-found" && (
        <EmptyState
          title="Video not found"
          icon={<FilmIcon className="size-6" />}
          action={
            <Link href="/videos" className={buttonClasses("primary")}>
              Browse the catalog
            </Link>
          }
        >
          This video may have been unpublished or removed, or the link is incomplete.
        </EmptyState>
      )}
      {state.status === "error" && (
        <Alert
          tone="danger"
          title="We couldn't load this video"
          action={
            <Button variant="secondary" size="sm" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </Button>
          }
        >
          {state.error.message}
        </Alert>
      )}
      {state.status === "ready" && <WatchDetails video={state.video} />}
    </div>
  );
}

function WatchDetails({ video }: { video: VideoSummary }) {
  const published = video.publishedAt ? new Date(video.publishedAt) : null;
  return (
    <article>
      <div className={playerFrameClass}>
        <WatchPlayer video={video} />
      </div>
      <div className="mt-6">
        <div className="min-w-0">
          <h1 className="font-display text-2xl font-bold tracking-tight text-balance text-fg sm:text-3xl">
            {video.title}
          </h1>
          <dl className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-muted">
            {video.durationSeconds !== null && (
              <div className="flex gap-1.5">
                <dt className="sr-only">Duration</dt>
                <dd>
                  <time dateTime={`PT${Math.floor(video.durationSeconds)}S`}>
                    <span aria-hidden="true">{formatDuration(video.durationSeconds)}</span>
                    <span className="sr-only">{describeDuration(video.durationSeconds)}</span>
                  </time>
                </dd>
              </div>
            )}
            {video.height !== null && (
              <div className="flex gap-1.5">
                <dt className="sr-only">Quality</dt>
                <dd>Up to {video.height}p</dd>
              </div>
            )}
            {published && !Number.isNaN(published.getTime()) && (
              <div className="flex gap-1.5">
                <dt className="sr-only">Published</dt>
                <dd>
                  <time dateTime={video.publishedAt ?? undefined}>
                    {published.toLocaleDateString(undefined, { dateStyle: "medium" })}
                  </time>
                </dd>
              </div>
            )}
          </dl>
          {video.description && (
            <p className="mt-4 max-w-3xl text-base leading-relaxed whitespace-pre-line text-fg/85">
              {video.description}
            </p>
          )}
        </div>
      </div>
    </article>
  );
}

function WatchSkeleton() {
  return (
    <LoadingPlaceholder label="Loading video…">
      <Skeleton className="aspect-video w-full rounded-2xl" />
      <DetailsSkeleton />
    </LoadingPlaceholder>
  );
}
