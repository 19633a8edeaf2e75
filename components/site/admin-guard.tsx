"use client";

import { useEffect, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { signInPath } from "@/lib/client/api";
import { refreshMe, useMe } from "@/lib/client/session";
import { AdminsOnly } from "./admins-only";

/**
 * Renders its children for admins only. This is a courtesy to the UI: the API
 * checks the role on every /api/admin/* request, and the CDN adds an IP allow-list.
 */
export function AdminGuard({ children }: { children: ReactNode }) {
  const session = useMe();

  const mustSignIn = session.status === "signed-out" && !session.byUser;
  useEffect(() => {
    if (mustSignIn) {
      window.location.replace(signInPath(window.location.pathname + window.location.search));
    }
  }, [mustSignIn]);

  switch (session.status) {
    case "loading":
    case "signed-out":
      return (
        <div role="status" className="flex items-center justify-center gap-3 py-24 text-muted">
          <Spinner />
          <span className="text-sm">
            {session.status === "loading"
              ? "Checking access…"
              : mustSignIn
                ? "Redirecting to sign in…"
                : "Signed out."}
          </span>
        </div>
      );
    case "error":
      return (
        <Alert
          tone="danger"
          title="We couldn't check your access"
          action={
            <Button variant="secondary" size="sm" onClick={() => void refreshMe()}>
              Try again
            </Button>
          }
        >
          {session.error.message}
        </Alert>
      );
    case "signed-in":
      return session.me.role === "admin" ? children : <AdminsOnly />;
  }
}
