import Link from "next/link";
import { cx } from "@/components/ui/cx";

/** The Reelgate mark: a play triangle inside a gate. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 32 32" className={cx("size-8", className)}>
      <defs>
        <linearGradient id="reelgate-mark" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="oklch(0.7 0.2 35)" />
          <stop offset="1" stopColor="oklch(0.55 0.23 10)" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="8" fill="url(#reelgate-mark)" />
      <path
        d="M8 25V11a8 8 0 0 1 16 0v14"
        fill="none"
        stroke="white"
        strokeOpacity="0.35"
        strokeWidth="2.2"
      />
      <path d="M13 12.5v9l7.5-4.5-7.5-4.5Z" fill="white" />
    </svg>
  );
}

/** The logo linking home. */
export function Logo({ className, prefetch }: { className?: string; prefetch?: false }) {
  return (
    <Link
      href="/"
      prefetch={prefetch}
      aria-label="Reelgate home"
      className={cx("flex items-center gap-2.5 rounded-lg", className)}
    >
      <LogoMark />
      <span className="font-display text-lg font-bold tracking-tight text-fg">Reelgate</span>
    </Link>
  );
}
