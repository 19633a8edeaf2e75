"use client";

import { useRef } from "react";
import { Button } from "@/components/ui/button";
import { DropZone } from "./drop-zone";
import { RememberedUploads } from "./remembered-uploads";
import { UploadRow } from "./upload-row";
import { useUploader } from "./use-uploader";

/** The /admin/upload screen: pick or drop files, name them, upload with progress. */
export function UploadPanel() {
  const { uploader, items, remembered } = useUploader();
  const inputRef = useRef<HTMLInputElement | null>(null);

  const pending = items.filter((i) => i.phase === "pending");

  return (
    <div className="space-y-6">
      <header>
        <h1 className="font-display text-2xl font-semibold tracking-tight">Upload videos</h1>
        <p className="mt-1 text-sm text-muted">
          Files go straight to storage in parts; an interrupted upload continues where it stopped
          when you choose the same file again.
        </p>
      </header>

      <RememberedUploads
        entries={remembered}
        onChooseAgain={() => inputRef.current?.click()}
        onDiscard={(fingerprint) => void uploader.forgetRemembered(fingerprint)}
      />

      <DropZone inputRef={inputRef} onFiles={(files) => uploader.add(files)} />

      {items.length > 0 && (
        <section aria-label="Uploads" className="space-y-4">
          <ul className="space-y-3">
            {items.map((item) => (
              <UploadRow
                key={item.key}
                item={item}
                onChange={(fields) => uploader.update(item.key, fields)}
                onCancel={() => void uploader.cancel(item.key)}
                onRetry={() => uploader.start(item.key)}
                onRemove={() => uploader.remove(item.key)}
              />
            ))}
          </ul>
          <div className="flex items-center justify-end gap-3">
            {pending.length > 1 && (
              <p className="text-sm text-muted">{pending.length} files ready</p>
            )}
            <Button onClick={() => uploader.start()} disabled={pending.length === 0}>
              Start upload
            </Button>
          </div>
        </section>
      )}
    </div>
  );
}
