"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import { useNavPrefetch } from "./use-nav-prefetch";

/** Props of {@link NavLink}. */
export interface NavLinkProps {
  href: string;
  children: ReactNode;
  /** Active only on the exact path (for index pages such as /admin). */
  exact?: boolean;
  /** Other paths that belong to the same section (e.g. /watch for Videos). */
  also?: string[];
  className?: string;
}

/** A navigation link that marks itself with aria-current on its own section. */
export function NavLink({ href, children, exact = false, also = [], className }: NavLinkProps) {
  const pathname = usePathname() ?? "";
  const within = (base: string) => pathname === base || pathname.startsWith(`${base}/`);
  const active = exact ? pathname === href : within(href) || also.some(within);
  const prefetch = useNavPrefetch();
  return (
    <Link
      href={href}
      prefetch={prefetch}
      aria-current={active ? "page" : undefined}
      className={cx(
        "rounded-lg px-3 py-2 text-sm font-medium transition-colors",
        active ? "bg-surface-2 text-fg" : "text-muted hover:bg-surface-2 hover:text-fg",
        className,
      )}
    >
      {children}
    </Link>
  );
}
