"use client";

import { Button } from "@/components/ui/button";
import { formatBytes } from "@/lib/client/upload-math";
import type { ResumeEntry } from "@/lib/client/uploader";

/** Props of {@link RememberedUploads}. */
export interface RememberedUploadsProps {
  entries: readonly ResumeEntry[];
  /** Opens the file picker; the picked file is matched by name, size and date. */
  onChooseAgain: () => void;
  onDiscard: (fingerprint: string) => void;
}

/**
 * Uploads interrupted by a reload or a closed tab. The browser does not hand the
 * file back to the page, so the admin picks it again and the upload continues.
 */
export function RememberedUploads({ entries, onChooseAgain, onDiscard }: RememberedUploadsProps) {
  if (entries.length === 0) return null;
  return (
    <section
      aria-labelledby="remembered-heading"
      className="rounded-card bg-warning-soft p-4 ring-1 ring-warning/30"
    >
      <h2 id="remembered-heading" className="text-sm font-semibold">
        Unfinished uploads
      </h2>
      <ul className="mt-2 space-y-2">
        {entries.map((e) => (
          <li
            key={e.fingerprint}
            className="flex flex-wrap items-center justify-between gap-2 text-sm"
          >
            <span>
              Resume upload of <strong>{e.fileName}</strong> ({formatBytes(e.size)}) — choose the
              file again
            </span>
            <span className="flex gap-2">
              <Button size="sm" variant="secondary" onClick={onChooseAgain}>
                Choose file
              </Button>
              <Button size="sm" variant="ghost" onClick={() => onDiscard(e.fingerprint)}>
                Discard
              </Button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
