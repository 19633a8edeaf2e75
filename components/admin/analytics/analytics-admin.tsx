"use client";

import { useEffect, useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import type { AnalyticsSummary } from "@/lib/contract/analytics-types";
import { fetchSummary } from "./analytics-api";
import { duration, ms, percent } from "./format";
import { LineChart } from "./line-chart";
import { Stat } from "./stat";
import { SystemPanel } from "./system-panel";
import { VideoPanel } from "./video-panel";

const RANGES = [7, 30, 90] as const;
const DAILY_SERIES = [
  { label: "Views", color: "#8b5cf6", bars: true },
  { label: "Watch minutes", color: "#22c55e", scale: "minutes" },
];

/** The /admin/analytics screen: views and watch time per day, and each video's QoE. */
export function AnalyticsAdmin() {
  const [days, setDays] = useState<number>(30);
  const [summary, setSummary] = useState<AnalyticsSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The video in the address (?v=ID), so that a video's figures can be linked to. Read at
  // the first render: admin pages render only in the browser, once AdminGuard has the role.
  const [selected, setSelected] = useState<string | null>(() =>
    typeof window === "undefined" ? null : new URLSearchParams(window.location.search).get("v"),
  );
  const select = (id: string) => {
    setSelected(id);
    window.history.replaceState(null, "", `?v=${encodeURIComponent(id)}`);
  };

  useEffect(() => {
    const controller = new AbortController();
    fetchSummary(days, controller.signal).then(setSummary, (err: unknown) => {
      if (!controller.signal.aborted)
        setError(err instanceof Error ? err.message : "Could not load the analytics.");
    });
    return () => controller.abort();
  }, [days]);

  const daily = useMemo(
    () =>
      summary
        ? ([
            summary.daily.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000),
            summary.daily.map((d) => d.views),
            summary.daily.map((d) => Math.round(d.watchSeconds / 6) / 10),
          ] as [number[], number[], number[]])
        : null,
    [summary],
  );

  return (
    <div className="space-y-8">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="font-display text-2xl font-semibold tracking-tight">Analytics</h1>
          <p className="mt-1 text-sm text-muted">What members watch, and how well it plays.</p>
        </div>
        <div role="group" aria-label="Period" className="flex gap-1">
          {RANGES.map((n) => (
            <button
              key={n}
              type="button"
              aria-pressed={days === n}
              onClick={() => setDays(n)}
              className="rounded-md px-3 py-1 text-sm ring-1 ring-line aria-pressed:bg-accent aria-pressed:text-white"
            >
              {n} days
            </button>
          ))}
        </div>
      </header>
      {error ? <Alert>{error}</Alert> : null}
      {!summary || !daily ? (
        error ? null : (
          <Skeleton className="h-64" />
        )
      ) : (
        <>
          <dl className="grid grid-cols-3 gap-3">
            <Stat label="Views" value={String(summary.totals.views)} testId="total-views" />
            <Stat label="Unique members" value={String(summary.totals.uniqueMembers)} />
            <Stat label="Watch time" value={duration(summary.totals.watchSeconds)} />
          </dl>
          <div className="rounded-card bg-surface p-4 ring-1 ring-line">
            <h2 className="mb-2 text-sm font-medium">Views and watch time per day</h2>
            <LineChart
              label="Views and watch minutes per day"
              data={daily}
              series={DAILY_SERIES}
              time
            />
          </div>
          {summary.videos.length === 0 ? (
            <EmptyState title="No views yet">Figures appear once members watch.</EmptyState>
          ) : (
            <table className="w-full text-left text-sm">
              <thead className="text-xs text-muted">
                <tr>
                  <th className="py-2">Video</th>
                  <th>Views</th>
                  <th>Members</th>
                  <th>Watch time</th>
                  <th>Startup p50</th>
                  <th>Rebuffering</th>
                  <th>Errors</th>
                </tr>
              </thead>
              <tbody>
                {summary.videos.map((v) => (
                  <tr key={v.videoId} className="border-t border-line">
                    <td className="py-2">
                      <button
                        type="button"
                        className="text-left hover:underline"
                        aria-current={selected === v.videoId}
                        onClick={() => select(v.videoId)}
                      >
                        {v.title}
                      </button>
                    </td>
                    <td className="tabular-nums">{v.views}</td>
                    <td className="tabular-nums">{v.uniqueMembers}</td>
                    <td className="tabular-nums">{duration(v.watchSeconds)}</td>
                    <td className="tabular-nums">{ms(v.startup.p50Ms)}</td>
                    <td className="tabular-nums">{percent(v.rebufferRatio)}</td>
                    <td className="tabular-nums">{percent(v.errorRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {selected ? <VideoPanel videoId={selected} days={days} /> : null}
      <SystemPanel />
    </div>
  );
}
