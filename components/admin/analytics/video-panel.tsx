"use client";

import { useEffect, useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Skeleton } from "@/components/ui/skeleton";
import type { VideoAnalytics } from "@/lib/contract/analytics-types";
import { fetchVideoAnalytics } from "./analytics-api";
import { duration, ms, percent } from "./format";
import { LineChart } from "./line-chart";
import { Stat } from "./stat";

const sharePercent = (v: number) => `${Math.round(v * 100)}%`;

/** One video's audience and quality of experience (GET /api/admin/analytics/videos/{id}). */
export function VideoPanel({ videoId, days }: { videoId: string; days: number }) {
  // Each answer is kept with the request it answers: after a change of video or period
  // the old figures are not shown while the new ones load.
  const request = `${videoId}:${days}`;
  const [result, setResult] = useState<{
    request: string;
    data?: VideoAnalytics;
    error?: string;
  } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetchVideoAnalytics(videoId, days, controller.signal).then(
      (data) => setResult({ request, data }),
      (err: unknown) => {
        if (!controller.signal.aborted)
          setResult({
            request,
            error: err instanceof Error ? err.message : "Could not load the video's figures.",
          });
      },
    );
    return () => controller.abort();
  }, [videoId, days, request]);
  const current = result?.request === request ? result : null;
  const data = current?.data ?? null;
  const error = current?.error ?? null;

  const retention = useMemo(
    () =>
      data ? ([data.retention.map((_, i) => i), data.retention] as [number[], number[]]) : null,
    [data],
  );
  if (error) return <Alert>{error}</Alert>;
  if (!data || !retention) return <Skeleton className="h-64" />;
  const { startup } = data;
  return (
    <section aria-labelledby="video-analytics" className="space-y-4">
      <h2 id="video-analytics" className="text-lg font-semibold">
        {data.video.title}
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label="Views" value={String(data.views)} testId="video-views" />
        <Stat label="Unique members" value={String(data.uniqueMembers)} testId="video-members" />
        <Stat
          label="Watch time"
          value={duration(data.watchSeconds)}
          testId="video-watch-time"
          hint={`${data.watchSeconds} s`}
        />
        <Stat label="Average watch share" value={percent(data.averageWatchShare)} />
        <Stat label="Startup p50" value={ms(startup.p50Ms)} testId="video-startup-p50" />
        <Stat label="Startup p95" value={ms(startup.p95Ms)} />
        <Stat
          label="Startup score"
          value={startup.score === null ? "–" : String(Math.round(startup.score * 100))}
          hint="Mux: 8 / (8 + seconds), 100 is instant"
        />
        <Stat
          label="Rebuffer ratio"
          value={percent(data.rebufferRatio)}
          hint={`${data.rebufferCount} stalls`}
        />
        <Stat label="Error rate" value={percent(data.errorRate)} />
      </dl>
      <div className="rounded-card bg-surface p-4 ring-1 ring-line">
        <h3 className="mb-2 text-sm font-medium">
          Retention: share of viewers at each point of the video
        </h3>
        <LineChart
          label="Retention curve"
          data={retention}
          series={[{ label: "Viewers", color: "#8b5cf6" }]}
          format={sharePercent}
        />
      </div>
      <div className="rounded-card bg-surface p-4 ring-1 ring-line">
        <h3 className="mb-2 text-sm font-medium">Quality mix</h3>
        {data.qualityMix.length === 0 ? (
          <p className="text-sm text-muted">No playback yet.</p>
        ) : (
          <ul className="space-y-2">
            {data.qualityMix.map((q) => (
              <li
                key={q.rendition}
                className="grid grid-cols-[4rem_1fr_4rem] items-center gap-2 text-sm"
              >
                <span className="tabular-nums">{q.rendition}</span>
                <span className="h-2 rounded bg-line">
                  <span
                    className="block h-2 rounded bg-accent"
                    style={{ width: `${Math.round(q.share * 100)}%` }}
                  />
                </span>
                <span className="text-right tabular-nums text-muted">{percent(q.share)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
