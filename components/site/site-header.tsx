"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { buttonClasses } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { signInPath } from "@/lib/client/api";
import { useMe } from "@/lib/client/session";
import { AccountMenu } from "./account-menu";
import { Logo } from "./logo";
import { NavLink } from "./nav-link";
import { useNavPrefetch } from "./use-nav-prefetch";

/** The sticky site header: logo, main navigation and the account area. */
export function SiteHeader() {
  const session = useMe();
  const pathname = usePathname();
  const prefetch = useNavPrefetch();

  return (
    // Near-opaque, no backdrop blur: a sticky blur is computed again on every composited
    // frame, which on the watch page is every video frame (a real cost where the browser
    // composites without a GPU).
    <header className="sticky top-0 z-40 border-b border-line/70 bg-canvas/95">
      <div className="mx-auto flex h-16 max-w-7xl items-center gap-3 px-4 sm:gap-6 sm:px-6 lg:px-8">
        <Logo prefetch={prefetch} />
        <nav aria-label="Main" className="flex items-center gap-1">
          <NavLink href="/videos" also={["/watch"]}>
            Videos
          </NavLink>
          {session.status === "signed-in" && session.me.role === "admin" && (
            <NavLink href="/admin">Admin</NavLink>
          )}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          {session.status === "loading" && <Skeleton className="h-9 w-24 rounded-full" />}
          {session.status === "signed-in" && <AccountMenu me={session.me} />}
          {(session.status === "signed-out" || session.status === "error") &&
            pathname !== "/signin" && (
              <Link href={signInHref(pathname)} className={buttonClasses("primary", "sm")}>
                Sign in
              </Link>
            )}
        </div>
      </div>
    </header>
  );
}

function signInHref(pathname: string | null): string {
  // Come back to the members' page the visitor was on; the landing page and the
  // sign-out page have nothing to come back to.
  if (!pathname || pathname === "/" || pathname === "/signout") return "/signin";
  return signInPath(pathname);
}
