"use client";

import { useId, useState, type DragEvent, type RefObject } from "react";
import { UploadIcon } from "@/components/ui/icons";
import { cx } from "@/components/ui/cx";
import { VIDEO_EXTENSIONS } from "@/lib/client/upload-validate";

const ACCEPT = ["video/*", ...Object.keys(VIDEO_EXTENSIONS).map((e) => `.${e}`)].join(",");

/** Props of {@link DropZone}. */
export interface DropZoneProps {
  onFiles: (files: File[]) => void;
  /** Lets other controls (e.g. "choose the file again") open the picker. */
  inputRef: RefObject<HTMLInputElement | null>;
}

/** Drag-and-drop area with a file picker behind the "Choose video files" label. */
export function DropZone({ onFiles, inputRef }: DropZoneProps) {
  const inputId = useId();
  const [over, setOver] = useState(false);

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setOver(false);
    const files = [...e.dataTransfer.files];
    if (files.length) onFiles(files);
  }

  return (
    <div
      onDragEnter={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={onDrop}
      className={cx(
        "flex flex-col items-center justify-center rounded-2xl border-2 border-dashed px-6 py-12 text-center transition-colors",
        over ? "border-accent bg-accent-soft" : "border-line-strong bg-surface",
      )}
    >
      <div className="mb-3 flex size-12 items-center justify-center rounded-full bg-surface-2 text-muted">
        <UploadIcon className="size-6" />
      </div>
      <p className="font-display text-lg font-semibold">Drop video files here</p>
      <p className="mt-1 text-sm text-muted">MP4, MOV, M4V, MKV, WebM or AVI, up to 10 GiB each</p>
      <label
        htmlFor={inputId}
        className="mt-5 inline-flex h-10 cursor-pointer items-center rounded-lg bg-surface px-4 text-sm font-semibold ring-1 ring-line-strong ring-inset hover:bg-surface-2 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring"
      >
        Choose video files
        <input
          ref={inputRef}
          id={inputId}
          type="file"
          multiple
          accept={ACCEPT}
          className="sr-only"
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            // Reset so picking the same file again (to resume) fires a change event.
            e.currentTarget.value = "";
            if (files.length) onFiles(files);
          }}
        />
      </label>
    </div>
  );
}
