"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FilmIcon, UploadIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { isGranted, issueCatalogCookies } from "@/lib/client/media-access";
import type { AdminVideo } from "@/lib/contract/types";
import { deleteVideo } from "./admin-videos-api";
import { ConfirmDialog } from "./confirm-dialog";
import { useAdminVideos } from "./use-admin-videos";
import { VideoRow } from "./video-row";
import { useGroups } from "./access/use-groups";

/** The /admin/videos screen: every video with its status and actions. */
export function VideosAdmin() {
  const { state, refresh, replace, removeLocal } = useAdminVideos();
  const [mediaReady, setMediaReady] = useState(false);
  const { groups } = useGroups();
  const [toDelete, setToDelete] = useState<AdminVideo | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    let live = true;
    // An admin's catalog credential opens every poster, drafts' included.
    issueCatalogCookies()
      .then((result) => {
        if (live && isGranted(result)) setMediaReady(true);
      })
      // Posters stay placeholders; the list itself does not depend on media access.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  async function confirmDelete() {
    if (!toDelete) return;
    setDeleting(true);
    try {
      await deleteVideo(toDelete.id);
      removeLocal(toDelete.id);
      setNotice({ ok: true, text: `Deleted “${toDelete.title}”.` });
      setToDelete(null);
    } catch (err) {
      setNotice({ ok: false, text: err instanceof Error ? err.message : "Delete failed." });
      setToDelete(null);
    } finally {
      setDeleting(false);
    }
  }

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="font-display text-2xl font-semibold tracking-tight">Videos</h1>
          <p className="mt-1 text-sm text-muted">
            Every upload, its processing state and whether members can see it.
          </p>
        </div>
        <Link href="/admin/upload" className={buttonClasses("primary")}>
          <UploadIcon className="size-4" />
          Upload videos
        </Link>
      </header>

      {notice && (
        <Alert tone={notice.ok ? "success" : "danger"} role={notice.ok ? "status" : "alert"}>
          {notice.text}
        </Alert>
      )}

      {state.status === "loading" && (
        <div aria-busy="true" aria-label="Loading videos" className="space-y-3">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-28 rounded-card" />
          ))}
        </div>
      )}

      {state.status === "forbidden" && (
        <Alert title="Admins only">Your account cannot manage videos.</Alert>
      )}

      {state.status === "error" && (
        <Alert
          title="Could not load the videos"
          action={
            <Button size="sm" variant="secondary" onClick={() => void refresh()}>
              Try again
            </Button>
          }
        >
          {state.message}
        </Alert>
      )}

      {state.status === "ready" && (
        <>
          {state.refreshError && (
            <Alert tone="warning" role="status">
              Showing the last known state: {state.refreshError}
            </Alert>
          )}
          {state.videos.length === 0 ? (
            <EmptyState
              title="No videos yet"
              icon={<FilmIcon className="size-6" />}
              action={
                <Link href="/admin/upload" className={buttonClasses("primary")}>
                  Upload the first one
                </Link>
              }
            >
              Uploaded videos appear here while they are processed.
            </EmptyState>
          ) : (
            <ul aria-label="Videos" className="space-y-3">
              {state.videos.map((video) => (
                <VideoRow
                  key={video.id}
                  video={video}
                  groups={groups}
                  mediaReady={mediaReady}
                  onUpdated={replace}
                  onDelete={(v) => {
                    setNotice(null);
                    setToDelete(v);
                  }}
                />
              ))}
            </ul>
          )}
        </>
      )}

      <ConfirmDialog
        open={toDelete !== null}
        title="Delete this video?"
        confirmLabel="Delete video"
        pending={deleting}
        onConfirm={() => void confirmDelete()}
        onClose={() => {
          if (!deleting) setToDelete(null);
        }}
      >
        “{toDelete?.title}” is removed for good: the original upload, every rendition, the poster
        and its captions.
      </ConfirmDialog>
    </div>
  );
}
