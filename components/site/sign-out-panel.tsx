"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { signOutMember, useMe } from "@/lib/client/session";

/** The confirmation of /signout. */
export function SignOutPanel() {
  const router = useRouter();
  const session = useMe();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState(false);

  async function onSignOut() {
    setPending(true);
    setError(false);
    try {
      await signOutMember();
      router.replace("/");
    } catch {
      setError(true);
      setPending(false);
    }
  }

  return (
    <div className="space-y-6">
      {session.status === "signed-in" && (
        <p className="text-sm text-muted">
          Signed in as <span className="font-medium text-fg">{session.me.email}</span>.
        </p>
      )}
      {session.status === "signed-out" && (
        <p className="text-sm text-muted">You are not signed in on this browser.</p>
      )}
      {error && <Alert tone="danger">We couldn&apos;t sign you out. Please try again.</Alert>}
      <div className="flex flex-col-reverse gap-3 sm:flex-row">
        <Link href="/videos" className={buttonClasses("secondary", "lg") + " flex-1"}>
          Cancel
        </Link>
        <Button size="lg" className="flex-1" pending={pending} onClick={onSignOut}>
          Sign out
        </Button>
      </div>
    </div>
  );
}
