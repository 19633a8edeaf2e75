"use client";

import Link from "next/link";
import { useEffect, useState, type ComponentType, type SVGProps } from "react";
import { FilmIcon, UploadIcon, UsersIcon } from "@/components/ui/icons";
import { apiFetch } from "@/lib/client/api";
import type { AdminVideoListResponse, AdminUser } from "@/lib/contract/types";
import { SignInAlerts } from "./sign-in-alerts";

interface Stats {
  videos?: { total: number; published: number; processing: number; failed: number };
  users?: { total: number; admins: number; disabled: number };
}

/** The /admin overview: where to go, with a few live counts. */
export function AdminDashboard() {
  const [stats, setStats] = useState<Stats>({});

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    // Counts are a nicety: a failure leaves the cards without numbers.
    apiFetch<AdminVideoListResponse>("/api/admin/videos", { signal })
      .then(({ videos }) =>
        setStats((s) => ({
          ...s,
          videos: {
            total: videos.length,
            published: videos.filter((v) => v.published).length,
            processing: videos.filter((v) =>
              ["uploading", "queued", "processing"].includes(v.status),
            ).length,
            failed: videos.filter((v) => v.status === "failed").length,
          },
        })),
      )
      .catch(() => {});
    apiFetch<{ users: AdminUser[] }>("/api/admin/users", { signal })
      .then(({ users }) =>
        setStats((s) => ({
          ...s,
          users: {
            total: users.length,
            admins: users.filter((u) => u.role === "admin").length,
            disabled: users.filter((u) => u.disabled).length,
          },
        })),
      )
      .catch(() => {});
    return () => controller.abort();
  }, []);

  const v = stats.videos;
  const u = stats.users;
  return (
    <div>
      <h1 className="font-display text-3xl font-bold tracking-tight text-fg">Admin</h1>
      <p className="mt-1 text-sm text-muted">Publish videos and manage who can watch them.</p>
      <div className="mt-6 empty:hidden">
        <SignInAlerts />
      </div>
      <ul className="mt-8 grid gap-5 md:grid-cols-3">
        <DashboardCard
          href="/admin/upload"
          icon={UploadIcon}
          title="Upload a video"
          body="Send a file in resumable parts. It is transcoded into an HD ladder with a poster."
          meta={v && v.processing > 0 ? `${v.processing} in progress` : undefined}
        />
        <DashboardCard
          href="/admin/videos"
          icon={FilmIcon}
          title="Manage videos"
          body="Edit titles, publish or unpublish, retry failed jobs and delete media."
          meta={
            v
              ? `${v.total} total · ${v.published} published${v.failed ? ` · ${v.failed} failed` : ""}`
              : undefined
          }
        />
        <DashboardCard
          href="/admin/users"
          icon={UsersIcon}
          title="Manage users"
          body="Invite members, promote admins and disable accounts."
          meta={
            u
              ? `${u.total} accounts · ${u.admins} admin${u.admins === 1 ? "" : "s"}${u.disabled ? ` · ${u.disabled} disabled` : ""}`
              : undefined
          }
        />
      </ul>
    </div>
  );
}

interface DashboardCardProps {
  href: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  title: string;
  body: string;
  meta?: string;
}

function DashboardCard({ href, icon: Icon, title, body, meta }: DashboardCardProps) {
  return (
    <li className="group relative flex flex-col rounded-2xl bg-surface p-6 shadow-card ring-1 ring-line transition hover:shadow-lift focus-within:ring-2 focus-within:ring-accent">
      <span className="flex size-10 items-center justify-center rounded-xl bg-accent-soft text-accent">
        <Icon className="size-5" />
      </span>
      <h2 className="mt-5 font-display text-lg font-semibold text-fg">
        <Link href={href} className="after:absolute after:inset-0 focus-visible:outline-none">
          {title}
        </Link>
      </h2>
      <p className="mt-2 flex-1 text-sm leading-relaxed text-muted">{body}</p>
      <p className="mt-4 min-h-5 text-xs font-medium text-subtle">{meta ?? "\u00a0"}</p>
    </li>
  );
}
