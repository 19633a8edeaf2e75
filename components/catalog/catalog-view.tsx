"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FilmIcon, SearchIcon } from "@/components/ui/icons";
import { cx } from "@/components/ui/cx";
import { ApiError, apiFetch, signInPath } from "@/lib/client/api";
import { isGranted, mediaAccess } from "@/lib/client/media-access";
import type { VideoListResponse } from "@/lib/contract/types";
import { CatalogSearch } from "./catalog-search";
import { ContinueWatchingRow } from "./continue-watching-row";
import { VideoCard } from "./video-card";
import { VideoGrid, VideoGridSkeleton } from "./video-grid";
import { LoadingPlaceholder } from "@/components/ui/skeleton";

// The answer for one request key (retry count + query). A key with no answer yet
// is loading; deriving it keeps the fetch effect free of synchronous setState.
type Loaded =
  | { key: string; query: string; data: VideoListResponse; error?: undefined }
  | { key: string; query: string; error: ApiError; data?: undefined };

function redirectToSignIn() {
  window.location.replace(signInPath(window.location.pathname + window.location.search));
}

/** The member catalog of /videos. Needs a Suspense boundary (useSearchParams). */
export function CatalogView() {
  const router = useRouter();
  const params = useSearchParams();
  const query = (params.get("q") ?? "").trim();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [mediaReady, setMediaReady] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const key = `${attempt}:${query}`;

  useEffect(() => {
    let active = true;
    // The catalog's images have their own credential (one cookie set per image folder
    // this member may see); videos get theirs on the watch page.
    const catalog = mediaAccess("catalog");
    catalog
      .issueMediaCookies()
      .then((result) => {
        if (!active) return;
        if ("signedOut" in result) redirectToSignIn();
        else if (isGranted(result)) setMediaReady(true);
      })
      .catch(() => {
        // Let the posters try anyway: each falls back to a placeholder on error,
        // and the renewal below retries the cookies.
        if (active) setMediaReady(true);
      });
    const stop = catalog.startMediaAccessRenewal({ onSignedOut: redirectToSignIn });
    return () => {
      active = false;
      stop();
    };
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    const path = query ? `/api/videos?q=${encodeURIComponent(query)}` : "/api/videos";
    apiFetch<VideoListResponse>(path, { signal: controller.signal, redirectOn401: true })
      .then((data) => setLoaded({ key, query, data }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        // On 401 apiFetch is already taking the browser to the sign-in page.
        if (err instanceof ApiError && err.status === 401) return;
        const error =
          err instanceof ApiError ? err : new ApiError(0, "unknown", "Something went wrong.");
        setLoaded({ key, query, error });
      });
    return () => controller.abort();
  }, [key, query]);

  const onQueryChange = useCallback(
    (next: string) => {
      router.replace(next ? `/videos?q=${encodeURIComponent(next)}` : "/videos", {
        scroll: false,
      });
    },
    [router],
  );

  const error = loaded?.key === key ? loaded.error : undefined;
  // While a new search loads, the previous results stay on screen, dimmed.
  const data = loaded?.data ?? null;
  const shownQuery = loaded?.query ?? query;
  const refreshing = data !== null && loaded?.key !== key;

  return (
    <div className="space-y-10">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="font-display text-3xl font-bold tracking-tight text-fg sm:text-4xl">
            Videos
          </h1>
          <p className="mt-1 text-sm text-muted">Everything in your members&apos; library.</p>
        </div>
        <CatalogSearch query={query} onQueryChange={onQueryChange} />
      </div>

      {error ? (
        <Alert
          tone="danger"
          title="We couldn't load the catalog"
          action={
            <Button variant="secondary" size="sm" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </Button>
          }
        >
          {error.message}
        </Alert>
      ) : data === null ? (
        <LoadingPlaceholder label="Loading videos…">
          <VideoGridSkeleton />
        </LoadingPlaceholder>
      ) : (
        <>
          {!shownQuery && data.continueWatching.length > 0 && (
            <ContinueWatchingRow videos={data.continueWatching} mediaReady={mediaReady} />
          )}
          <section aria-labelledby="library-heading" aria-busy={refreshing || undefined}>
            <div className="mb-5 flex items-baseline justify-between gap-4">
              <h2 id="library-heading" className="font-display text-xl font-semibold text-fg">
                {shownQuery ? "Search results" : "Library"}
              </h2>
              <p role="status" className="text-sm text-muted">
                {resultLabel(data.videos.length, shownQuery)}
              </p>
            </div>
            {data.videos.length === 0 ? (
              shownQuery ? (
                <EmptyState
                  title="No results"
                  icon={<SearchIcon className="size-6" />}
                  action={
                    <Button variant="secondary" onClick={() => onQueryChange("")}>
                      Show all videos
                    </Button>
                  }
                >
                  Nothing matches &ldquo;{shownQuery}&rdquo;. Try another title or a shorter word.
                </EmptyState>
              ) : (
                <EmptyState title="No videos yet" icon={<FilmIcon className="size-6" />}>
                  New videos appear here as soon as they are published.
                </EmptyState>
              )
            ) : (
              <div className={cx("transition-opacity", refreshing && "opacity-60")}>
                <VideoGrid>
                  {data.videos.map((video, i) => (
                    <VideoCard
                      key={video.id}
                      video={video}
                      mediaReady={mediaReady}
                      priority={i < 4}
                    />
                  ))}
                </VideoGrid>
              </div>
            )}
          </section>
        </>
      )}
    </div>
  );
}

function resultLabel(count: number, query: string): string {
  const noun = count === 1 ? "video" : "videos";
  return query ? `${count} ${noun} matching “${query}”` : `${count} ${noun}`;
}
