"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { endAccountSession, listAccountSessions, signOutEverywhere } from "@/lib/client/account";
import { ApiError } from "@/lib/client/api";
import { refreshMe } from "@/lib/client/session";
import type { AccountSession } from "@/lib/contract/types";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Props of {@link AccountSessions}. */
export interface AccountSessionsProps {
  /** Changes when the list must be read again (after a password change). */
  version: number;
}

/** The member's signed-in browsers, each with "sign out", and "sign out everywhere". */
export function AccountSessions({ version }: AccountSessionsProps) {
  const router = useRouter();
  const [sessions, setSessions] = useState<AccountSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    listAccountSessions(controller.signal)
      .then(setSessions)
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) return; // redirecting
        setError(err instanceof ApiError ? err.message : "Something went wrong.");
      });
    return () => controller.abort();
  }, [version]);

  async function run(key: string, action: () => Promise<void>, signsOut: boolean) {
    setBusy(key);
    setError(null);
    try {
      await action();
      if (signsOut) {
        await refreshMe({ announce: true });
        router.replace("/signin");
        return;
      }
      setSessions(await listAccountSessions());
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Something went wrong.");
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="space-y-4">
      {error && <Alert tone="danger">{error}</Alert>}
      {sessions === null && !error && <Skeleton className="h-24 w-full rounded-xl" />}
      {sessions && (
        <ul className="divide-y divide-line rounded-2xl bg-surface shadow-card ring-1 ring-line">
          {sessions.map((s) => (
            <li key={s.id} className="flex items-center justify-between gap-4 px-5 py-3.5">
              <div className="min-w-0">
                <p className="flex items-center gap-2 font-medium text-fg">
                  {s.device}
                  {s.current && <Badge tone="accent">This browser</Badge>}
                </p>
                <p className="truncate text-xs text-muted">
                  {s.ip} · signed in {when.format(new Date(s.createdAt))} · last active{" "}
                  {when.format(new Date(s.lastSeenAt))}
                </p>
              </div>
              <Button
                size="sm"
                variant="secondary"
                pending={busy === s.id}
                aria-label={`Sign out ${s.current ? "this browser" : s.device}`}
                onClick={() => run(s.id, () => endAccountSession(s.id), s.current)}
              >
                Sign out
              </Button>
            </li>
          ))}
        </ul>
      )}
      <Button
        variant="danger"
        pending={busy === "all"}
        onClick={() => run("all", signOutEverywhere, true)}
      >
        Sign out everywhere
      </Button>
    </div>
  );
}
