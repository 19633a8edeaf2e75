"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "@/lib/client/api";
import type { AdminVideo } from "@/lib/contract/types";
import { listAdminVideos, pollDelayMs } from "./admin-videos-api";

export type AdminVideosState =
  | { status: "loading" }
  | { status: "ready"; videos: AdminVideo[]; refreshError: string | null }
  | { status: "forbidden" }
  | { status: "error"; message: string };

/**
 * The admin video list, kept fresh: every 2 s while a video is uploading, queued or
 * processing, every 15 s otherwise, and not at all while the tab is hidden (a hidden
 * admin tab would otherwise poll the API all day).
 */
export function useAdminVideos() {
  const [state, setState] = useState<AdminVideosState>({ status: "loading" });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef<AbortController | null>(null);

  const refresh = useCallback(async function load(): Promise<void> {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    let delay = 15_000;
    try {
      const videos = await listAdminVideos(controller.signal);
      setState({ status: "ready", videos, refreshError: null });
      delay = pollDelayMs(videos);
    } catch (err) {
      if (controller.signal.aborted) return;
      if (err instanceof ApiError && err.status === 401) return; // redirecting to sign-in
      if (err instanceof ApiError && err.status === 403) {
        setState({ status: "forbidden" });
        return;
      }
      const message = err instanceof Error ? err.message : "Could not load the videos.";
      setState((prev) =>
        prev.status === "ready" ? { ...prev, refreshError: message } : { status: "error", message },
      );
    } finally {
      if (inFlight.current === controller) inFlight.current = null;
    }
    if (controller.signal.aborted) return;
    if (typeof document !== "undefined" && document.visibilityState === "hidden") return;
    timer.current = setTimeout(() => void load(), delay);
  }, []);

  useEffect(() => {
    void refresh();
    const onVisibility = () => {
      if (document.visibilityState === "visible") void refresh();
      else if (timer.current) {
        clearTimeout(timer.current);
        timer.current = null;
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      if (timer.current) clearTimeout(timer.current);
      inFlight.current?.abort();
    };
  }, [refresh]);

  /** Puts a video the API just answered into the list without waiting for the next poll. */
  const replace = useCallback((video: AdminVideo) => {
    setState((prev) =>
      prev.status === "ready"
        ? { ...prev, videos: prev.videos.map((v) => (v.id === video.id ? video : v)) }
        : prev,
    );
  }, []);

  const removeLocal = useCallback((id: string) => {
    setState((prev) =>
      prev.status === "ready" ? { ...prev, videos: prev.videos.filter((v) => v.id !== id) } : prev,
    );
  }, []);

  return { state, refresh, replace, removeLocal };
}
