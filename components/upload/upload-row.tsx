"use client";

import Link from "next/link";
import { useId } from "react";
import { Button } from "@/components/ui/button";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { fieldClasses } from "@/components/ui/text-field";
import { cx } from "@/components/ui/cx";
import { formatBytes } from "@/lib/client/upload-math";
import type { UploadItem, UploadPhase } from "@/lib/client/uploader";
import { UploadProgress } from "./upload-progress";

/** Props of {@link UploadRow}. */
export interface UploadRowProps {
  item: UploadItem;
  onChange: (fields: { title?: string; description?: string }) => void;
  onCancel: () => void;
  onRetry: () => void;
  onRemove: () => void;
}

const PHASES: Record<UploadPhase, { label: string; tone: BadgeTone }> = {
  pending: { label: "Ready to upload", tone: "neutral" },
  refused: { label: "Refused", tone: "danger" },
  queued: { label: "Waiting", tone: "neutral" },
  uploading: { label: "Uploading", tone: "accent" },
  completing: { label: "Finishing", tone: "accent" },
  complete: { label: "Done", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  cancelling: { label: "Cancelling", tone: "warning" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

/** One file on the upload page: its fields before the start, its progress after. */
export function UploadRow({ item, onChange, onCancel, onRetry, onRemove }: UploadRowProps) {
  const titleId = useId();
  const descriptionId = useId();
  const { phase } = item;
  const phaseInfo = PHASES[phase];
  const running = phase === "queued" || phase === "uploading" || phase === "completing";

  return (
    <li
      data-upload-key={item.key}
      data-phase={phase}
      className="rounded-card bg-surface p-4 shadow-card ring-1 ring-line sm:p-5"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="truncate font-medium" title={item.fileName}>
            {item.fileName}
          </p>
          <p className="text-xs text-muted">{formatBytes(item.sizeBytes)}</p>
        </div>
        <Badge tone={phaseInfo.tone}>{phaseInfo.label}</Badge>
      </div>

      {phase === "pending" && (
        <div className="mt-4 grid gap-3 sm:grid-cols-2">
          <div>
            <label htmlFor={titleId} className="mb-1.5 block text-sm font-medium">
              Title
            </label>
            <input
              id={titleId}
              required
              maxLength={200}
              value={item.title}
              aria-invalid={item.message ? true : undefined}
              onChange={(e) => onChange({ title: e.target.value })}
              className={cx(fieldClasses, "h-10")}
            />
          </div>
          <div>
            <label htmlFor={descriptionId} className="mb-1.5 block text-sm font-medium">
              Description
            </label>
            <textarea
              id={descriptionId}
              rows={1}
              maxLength={5000}
              value={item.description}
              onChange={(e) => onChange({ description: e.target.value })}
              className={cx(fieldClasses, "min-h-10 py-2")}
            />
          </div>
          {item.resuming && (
            <p className="text-xs text-muted sm:col-span-2">
              An earlier upload of this file was interrupted; the parts already sent are skipped.
            </p>
          )}
        </div>
      )}

      {(phase === "uploading" || phase === "completing" || phase === "failed") && (
        <div className="mt-4">
          <UploadProgress fileName={item.fileName} progress={item.progress} />
        </div>
      )}

      <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
        <StatusLine item={item} />
        <div className="flex gap-2">
          {phase === "failed" && (
            <Button size="sm" variant="secondary" onClick={onRetry}>
              Retry
            </Button>
          )}
          {(running || phase === "failed") && (
            <Button size="sm" variant="danger" onClick={onCancel}>
              Cancel
            </Button>
          )}
          {(phase === "pending" ||
            phase === "refused" ||
            phase === "cancelled" ||
            phase === "complete") && (
            <Button size="sm" variant="ghost" onClick={phase === "pending" ? onCancel : onRemove}>
              Remove
            </Button>
          )}
        </div>
      </div>
    </li>
  );
}

function StatusLine({ item }: { item: UploadItem }) {
  const text = "text-sm";
  switch (item.phase) {
    case "pending":
      return item.message ? <p className={cx(text, "text-danger")}>{item.message}</p> : <span />;
    case "refused":
      return (
        <p role="alert" className={cx(text, "text-danger")}>
          {item.message}
        </p>
      );
    case "queued":
      return <p className={cx(text, "text-muted")}>Waiting for another upload to finish…</p>;
    case "uploading":
      return (
        <p className={cx(text, "text-muted")}>
          {item.resuming ? "Resumed · " : ""}
          {item.partCount > 0 ? `${item.partsDone} of ${item.partCount} parts sent` : "Starting…"}
        </p>
      );
    case "completing":
      return <p className={cx(text, "text-muted")}>Finishing the upload…</p>;
    case "complete":
      return (
        <div role="status" className={text}>
          <p className="font-semibold text-success">Upload complete</p>
          <p className="text-muted">
            Uploaded — processing.{" "}
            <Link href="/admin/videos" className="font-medium text-accent hover:underline">
              Follow it on the videos page
            </Link>
          </p>
        </div>
      );
    case "failed":
      return (
        <p role="alert" className={cx(text, "text-danger")}>
          {item.message} — Retry continues where it stopped.
        </p>
      );
    case "cancelling":
      return <p className={cx(text, "text-muted")}>Cancelling…</p>;
    case "cancelled":
      return (
        <p className={cx(text, "text-muted")}>{item.message ?? "Cancelled; nothing was kept."}</p>
      );
  }
}
