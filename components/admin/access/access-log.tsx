"use client";

import { useEffect, useState } from "react";
import { ApiError } from "@/lib/client/api";
import { accessLog } from "@/lib/client/groups";
import type { AccessLogEntry } from "@/lib/contract/types";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/**
 * Who was issued credentials for a video, or which videos a member was issued, newest
 * first (the access log, kept ACCESS_LOG_RETENTION_DAYS). Renewals of one playback are
 * one row. Loaded when shown.
 */
export function AccessLog({ videoId, userId }: { videoId?: string; userId?: string }) {
  const [entries, setEntries] = useState<AccessLogEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [before, setBefore] = useState<string | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    accessLog({ videoId, userId, before }, controller.signal)
      .then((page) => {
        setEntries((shown) => [...(before ? (shown ?? []) : []), ...page.entries]);
        setNext(page.nextBefore);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) {
          setError(err instanceof ApiError ? err.message : "Could not load the access log.");
        }
      });
    return () => controller.abort();
  }, [videoId, userId, before]);

  if (error) return <p className="text-sm text-danger">{error}</p>;
  if (entries === null) return <p className="text-sm text-muted">Loading…</p>;
  if (entries.length === 0) return <p className="text-sm text-muted">No credentials issued.</p>;
  return (
    <div className="space-y-2">
      <table className="w-full text-left text-xs">
        <caption className="sr-only">Access log</caption>
        <thead className="text-muted">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              {videoId ? "Member" : "Video"}
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Issued
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              From
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr
              key={`${e.firstIssuedAt}-${e.userId}-${e.videoId}-${e.streamId}`}
              className="align-top"
            >
              <td className="py-1 pr-3">{videoId ? e.userEmail : e.videoId}</td>
              <td className="py-1 pr-3 tabular-nums">
                {when.format(new Date(e.firstIssuedAt))}
                {e.issueCount > 1 &&
                  ` – ${when.format(new Date(e.lastIssuedAt))} (issued ${e.issueCount} times)`}
                {e.kind === "url" && " (signed URL)"}
              </td>
              <td className="py-1 pr-3 break-all text-muted" title={e.userAgent ?? undefined}>
                {e.address ?? "unknown"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {next && (
        <button
          type="button"
          className="text-xs font-medium text-accent hover:underline"
          onClick={() => setBefore(next)}
        >
          Older entries
        </button>
      )}
    </div>
  );
}
