"use client";

import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiError, apiFetch } from "@/lib/client/api";
import { useMe } from "@/lib/client/session";
import type { AdminUser, ResetLink } from "@/lib/contract/types";
import { GroupsPanel } from "@/components/admin/access/groups-panel";
import { useGroups } from "@/components/admin/access/use-groups";
import { AdminsOnly } from "./admins-only";
import { GeneratedPassword } from "./generated-password";
import { UserInviteForm, type CreatedUser } from "./user-invite-form";
import { UsersTable, type UserPatch } from "./users-table";

type ListState =
  | { status: "loading" }
  | { status: "ready"; users: AdminUser[] }
  | { status: "forbidden" }
  | { status: "error"; message: string };

/** The /admin/users screen: list, create, change role, disable. */
export function UsersAdmin() {
  const session = useMe();
  const [list, setList] = useState<ListState>({ status: "loading" });
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const [resetLink, setResetLink] = useState<(ResetLink & { email: string }) | null>(null);
  const [notice, setNotice] = useState<{ tone: "success" | "danger"; text: string } | null>(null);
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());
  const { groups, reload: reloadGroups } = useGroups();

  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    apiFetch<{ users: AdminUser[] }>("/api/admin/users", {
      signal: controller.signal,
      redirectOn401: true,
    })
      .then(({ users }) => setList({ status: "ready", users }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) return; // redirecting
        if (err instanceof ApiError && err.status === 403) setList({ status: "forbidden" });
        else setList({ status: "error", message: errorText(err) });
      });
    return () => controller.abort();
  }, [attempt]);

  function onCreated({ user, password }: CreatedUser) {
    setList((prev) =>
      prev.status === "ready" ? { status: "ready", users: [...prev.users, user] } : prev,
    );
    if (password) setCreated({ email: user.email, password });
    else setNotice({ tone: "success", text: `Created ${user.email}.` });
  }

  async function onPatch(user: AdminUser, patch: UserPatch) {
    setNotice(null);
    setBusyIds((s) => new Set(s).add(user.id));
    try {
      const res = await apiFetch<{ user?: AdminUser } | AdminUser>(
        `/api/admin/users/${encodeURIComponent(user.id)}`,
        { method: "PATCH", json: patch },
      );
      // Accept either `{user}` or the bare user; fall back to our own patch.
      const updated: AdminUser =
        res && "user" in res && res.user
          ? res.user
          : res && "id" in res
            ? res
            : { ...user, ...patch };
      setList((prev) =>
        prev.status === "ready"
          ? { status: "ready", users: prev.users.map((u) => (u.id === user.id ? updated : u)) }
          : prev,
      );
      setNotice({ tone: "success", text: describePatch(updated, patch) });
      // Member counts changed.
      if (patch.groupIds) reloadGroups();
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) setList({ status: "forbidden" });
      else setNotice({ tone: "danger", text: `Could not update ${user.email}: ${errorText(err)}` });
    } finally {
      setBusyIds((s) => {
        const next = new Set(s);
        next.delete(user.id);
        return next;
      });
    }
  }

  async function onResetLink(user: AdminUser) {
    setNotice(null);
    setResetLink(null);
    try {
      const link = await apiFetch<ResetLink>(
        `/api/admin/users/${encodeURIComponent(user.id)}/reset-link`,
        { method: "POST" },
      );
      setResetLink({ ...link, email: user.email });
    } catch (err) {
      setNotice({ tone: "danger", text: `No reset link for ${user.email}: ${errorText(err)}` });
    }
  }

  if (list.status === "forbidden") return <AdminsOnly />;

  return (
    <div className="space-y-8">
      <div>
        <h1 className="font-display text-3xl font-bold tracking-tight text-fg">Users</h1>
        <p className="mt-1 text-sm text-muted">
          Members can watch; admins can also upload and manage videos and users.
        </p>
      </div>

      {created && (
        <GeneratedPassword
          email={created.email}
          password={created.password}
          onDismiss={() => setCreated(null)}
        />
      )}
      {resetLink && (
        <GeneratedPassword
          email={resetLink.email}
          password={resetLink.url}
          resetLink={resetLink}
          onDismiss={() => setResetLink(null)}
        />
      )}
      <UserInviteForm
        onSubmitStart={() => {
          setCreated(null);
          setNotice(null);
        }}
        onCreated={onCreated}
      />

      {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}

      {list.status === "loading" && (
        <div aria-busy="true" className="space-y-3">
          <p role="status" className="sr-only">
            Loading users…
          </p>
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-14 w-full rounded-xl" />
          ))}
        </div>
      )}
      {list.status === "error" && (
        <Alert
          tone="danger"
          title="We couldn't load the users"
          action={
            <Button
              variant="secondary"
              size="sm"
              onClick={() => {
                setList({ status: "loading" });
                setAttempt((n) => n + 1);
              }}
            >
              Try again
            </Button>
          }
        >
          {list.message}
        </Alert>
      )}
      {list.status === "ready" && <GroupsPanel groups={groups} onChanged={reloadGroups} />}
      {list.status === "ready" && (
        <UsersTable
          users={list.users}
          groups={groups}
          currentUserId={session.status === "signed-in" ? session.me.id : null}
          busyIds={busyIds}
          onPatch={onPatch}
          onResetLink={onResetLink}
        />
      )}
    </div>
  );
}

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : "Something went wrong.";
}

function describePatch(user: AdminUser, patch: UserPatch): string {
  if (patch.groupIds) return `Groups of ${user.email} saved.`;
  if (patch.disabled !== undefined) {
    return `${user.email} is ${patch.disabled ? "disabled" : "enabled"}.`;
  }
  return `${user.email} is now ${user.role === "admin" ? "an admin" : "a member"}.`;
}
