"use client";

import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { formatDuration } from "@/components/catalog/format-duration";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { FilmIcon } from "@/components/ui/icons";
import { fieldClasses } from "@/components/ui/text-field";
import type { AdminGroup, AdminVideo } from "@/lib/contract/types";
import { AccessLog } from "./access/access-log";
import { GroupPicker } from "./access/group-picker";
import { LazyDetails } from "./access/lazy-details";
import { patchVideo, retryVideo, type VideoPatch } from "./admin-videos-api";
import { CaptionForm } from "./caption-form";
import { StatusBadge } from "./status-badge";

/** Props of {@link VideoRow}. */
export interface VideoRowProps {
  video: AdminVideo;
  /** The member groups the video may be given to. */
  groups: AdminGroup[];
  /** False until the media cookies are issued: a poster fetched earlier is a cached 403. */
  mediaReady: boolean;
  onUpdated: (video: AdminVideo) => void;
  onDelete: (video: AdminVideo) => void;
}

type Notice = { ok: boolean; text: string } | null;

/** One video on the admin videos page, with its actions. */
export function VideoRow({ video, groups, mediaReady, onUpdated, onDelete }: VideoRowProps) {
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState<"publish" | "retry" | "save" | "groups" | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const reason = video.error ?? video.job?.error ?? null;

  async function run(
    kind: "publish" | "retry" | "save" | "groups",
    action: () => Promise<AdminVideo>,
  ) {
    setBusy(kind);
    setNotice(null);
    try {
      onUpdated(await action());
      return true;
    } catch (err) {
      setNotice({ ok: false, text: err instanceof Error ? err.message : "Something went wrong." });
      return false;
    } finally {
      setBusy(null);
    }
  }

  async function save(patch: VideoPatch) {
    if (await run("save", () => patchVideo(video.id, patch))) setEditing(false);
  }

  return (
    <li
      data-video-id={video.id}
      data-status={video.status}
      className="grid gap-4 rounded-card bg-surface p-4 shadow-card ring-1 ring-line sm:grid-cols-[10rem_minmax(0,1fr)] lg:grid-cols-[12rem_minmax(0,1fr)_auto]"
    >
      <Poster video={video} mediaReady={mediaReady} />

      <div className="min-w-0 space-y-2">
        {editing ? (
          <EditForm
            video={video}
            pending={busy === "save"}
            onSave={save}
            onCancel={() => setEditing(false)}
          />
        ) : (
          <>
            <h3 className="truncate font-display text-base font-semibold" title={video.title}>
              {video.title}
            </h3>
            {video.description ? (
              <p className="line-clamp-2 text-sm text-muted">{video.description}</p>
            ) : (
              <p className="text-sm text-subtle italic">No description</p>
            )}
          </>
        )}

        <div className="flex flex-wrap items-start gap-2">
          <StatusBadge video={video} />
          <Badge tone={video.published ? "success" : "neutral"}>
            {video.published ? "Published" : "Not published"}
          </Badge>
          {video.durationSeconds !== null && (
            <span className="text-xs text-muted tabular-nums">
              {formatDuration(video.durationSeconds)}
            </span>
          )}
        </div>

        {video.status === "failed" && reason && (
          <p className="text-sm text-danger">Reason: {reason}</p>
        )}
        {video.status === "processing" && video.job && video.job.attempts > 1 && (
          <p className="text-xs text-muted">
            Attempt {video.job.attempts} of {video.job.maxAttempts}
          </p>
        )}
        {notice && (
          <p role="alert" className={cx("text-sm", notice.ok ? "text-success" : "text-danger")}>
            {notice.text}
          </p>
        )}

        <div className="flex flex-wrap items-baseline gap-x-2 text-sm">
          <span className="text-muted">Open to:</span>
          <GroupPicker
            label={`Groups of ${video.title}`}
            groups={groups}
            selected={video.groupIds}
            emptyText="Every member"
            disabled={busy === "groups"}
            onChange={(groupIds) => void run("groups", () => patchVideo(video.id, { groupIds }))}
          />
        </div>

        <LazyDetails summary="Access log">
          <AccessLog videoId={video.id} />
        </LazyDetails>

        <details className="group text-sm">
          <summary className="cursor-pointer text-muted select-none hover:text-fg">
            Captions
            {video.captions.length > 0 && ` (${video.captions.map((c) => c.lang).join(", ")})`}
          </summary>
          <div className="mt-3">
            <CaptionForm video={video} onSaved={onUpdated} />
          </div>
        </details>
      </div>

      <div className="flex flex-wrap content-start gap-2 sm:col-span-2 lg:col-span-1 lg:w-56 lg:justify-end">
        {!editing && (
          <Button size="sm" variant="secondary" onClick={() => setEditing(true)}>
            Edit
          </Button>
        )}
        {video.published ? (
          <Button
            size="sm"
            variant="secondary"
            pending={busy === "publish"}
            onClick={() => void run("publish", () => patchVideo(video.id, { published: false }))}
          >
            Unpublish
          </Button>
        ) : (
          <Button
            size="sm"
            variant={video.status === "ready" ? "primary" : "secondary"}
            pending={busy === "publish"}
            title={video.status === "ready" ? undefined : "Only a ready video can be published"}
            onClick={() => void run("publish", () => patchVideo(video.id, { published: true }))}
          >
            Publish
          </Button>
        )}
        {video.status === "failed" && (
          <Button
            size="sm"
            variant="secondary"
            pending={busy === "retry"}
            onClick={() => void run("retry", () => retryVideo(video.id))}
          >
            Retry
          </Button>
        )}
        {video.status === "ready" && (
          // Admins may watch a draft: a preview before members can.
          <Link
            href={`/watch?v=${encodeURIComponent(video.id)}`}
            className="inline-flex h-8 items-center px-2 text-sm font-medium text-accent hover:underline"
          >
            {video.published ? "Watch" : "Preview"}
          </Link>
        )}
        <Button size="sm" variant="danger" onClick={() => onDelete(video)}>
          Delete
        </Button>
      </div>
    </li>
  );
}

function Poster({ video, mediaReady }: { video: AdminVideo; mediaReady: boolean }) {
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const url = video.posterUrl;
  const show = url !== null && mediaReady && failedUrl !== url;
  return (
    <div className="relative aspect-video w-full overflow-hidden rounded-lg bg-surface-3 sm:w-40 lg:w-48">
      <div className="absolute inset-0 flex items-center justify-center text-subtle">
        <FilmIcon className="size-7" />
      </div>
      {show && (
        // A plain img: the poster is behind signed cookies, no optimizer may fetch it.
        // eslint-disable-next-line @next/next/no-img-element
        <img
          src={url}
          alt=""
          loading="lazy"
          decoding="async"
          onError={() => setFailedUrl(url)}
          className="absolute inset-0 size-full object-cover"
        />
      )}
    </div>
  );
}

function EditForm({
  video,
  pending,
  onSave,
  onCancel,
}: {
  video: AdminVideo;
  pending: boolean;
  onSave: (patch: VideoPatch) => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const descriptionId = useId();
  const [title, setTitle] = useState(video.title);
  const [description, setDescription] = useState(video.description);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const patch: VideoPatch = {};
    if (title.trim() !== video.title) patch.title = title.trim();
    if (description.trim() !== video.description) patch.description = description.trim();
    if (Object.keys(patch).length === 0) return onCancel();
    onSave(patch);
  }

  return (
    <form
      onSubmit={onSubmit}
      onKeyDown={(e) => {
        if (e.key === "Escape") onCancel();
      }}
      className="space-y-3"
    >
      <div>
        <label htmlFor={titleId} className="mb-1 block text-sm font-medium">
          Title
        </label>
        <input
          id={titleId}
          required
          maxLength={200}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          className={cx(fieldClasses, "h-10")}
          autoFocus
        />
      </div>
      <div>
        <label htmlFor={descriptionId} className="mb-1 block text-sm font-medium">
          Description
        </label>
        <textarea
          id={descriptionId}
          rows={3}
          maxLength={5000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          className={cx(fieldClasses, "py-2")}
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" size="sm" pending={pending} disabled={!title.trim()}>
          Save
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
