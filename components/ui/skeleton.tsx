import { cx } from "./cx";

/** A shimmering placeholder block; hidden from assistive tech. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cx("skeleton rounded-md", className)} />;
}
