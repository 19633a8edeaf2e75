"use client";

import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { PlayIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { useMe } from "@/lib/client/session";

/**
 * The landing page's call to action: browse for members, sign in for visitors.
 * The labels avoid "Sign in" and "Videos" on purpose, so they never clash with
 * the header's links of those names.
 */
export function LandingCta() {
  const session = useMe();

  if (session.status === "loading") {
    return <Skeleton className="h-12 w-48 rounded-xl" />;
  }
  if (session.status === "signed-in") {
    const name = session.me.name?.trim().split(/\s+/)[0];
    return (
      <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
        <Link href="/videos" className={buttonClasses("primary", "lg")}>
          <PlayIcon className="size-4" />
          Start watching
        </Link>
        <p className="text-sm text-muted">
          Welcome back{name ? `, ${name}` : ""}. Your library is ready.
        </p>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-center">
      <Link href="/signin" className={buttonClasses("primary", "lg")}>
        Member sign-in
      </Link>
      <p className="text-sm text-muted">Invitation only. Your administrator creates accounts.</p>
    </div>
  );
}
