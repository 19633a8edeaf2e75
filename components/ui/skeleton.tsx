import type { ReactNode } from "react";
import { cx } from "./cx";

/** A shimmering placeholder block; hidden from assistive tech. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cx("skeleton rounded-md", className)} />;
}

/** Placeholders while something loads: busy for assistive tech, with `label` announced. */
export function LoadingPlaceholder({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div aria-busy="true">
      <p role="status" className="sr-only">
        {label}
      </p>
      {children}
    </div>
  );
}
