"use client";

import { useState, type ReactNode } from "react";

/** A `<details>` whose content is rendered only once opened (it may load data). */
export function LazyDetails({ summary, children }: { summary: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="text-sm" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer text-muted select-none hover:text-fg">{summary}</summary>
      {open && <div className="mt-2">{children}</div>}
    </details>
  );
}
