"use client";

import { useEffect, useState } from "react";
import {
  histogramQuantile,
  parsePrometheusText,
  sumBy,
  type Sample,
} from "@/lib/client/prometheus-text";
import { fetchMetricsText } from "./analytics-api";
import { ms } from "./format";
import { Stat } from "./stat";

/**
 * The operators' view of GET /api/admin/metrics since the processes started: requests
 * and errors, the slowest routes, credentials issued, and the edge's refusals by reason.
 */
export function SystemPanel() {
  const [samples, setSamples] = useState<Sample[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetchMetricsText(controller.signal).then(
      (text) => setSamples(parsePrometheusText(text)),
      (err: unknown) => {
        if (!controller.signal.aborted)
          setError(err instanceof Error ? err.message : "No metrics.");
      },
    );
    return () => controller.abort();
  }, []);
  if (error) return <p className="text-sm text-muted">{error}</p>;
  if (!samples) return null;
  const requests = [...sumBy(samples, "reelgate_http_requests_total", "status")];
  const total = requests.reduce((n, [, v]) => n + v, 0);
  const errors = requests.filter(([s]) => s.startsWith("5")).reduce((n, [, v]) => n + v, 0);
  const p99 = histogramQuantile(samples, "reelgate_http_request_duration_seconds", 0.99);
  const issued = sumBy(samples, "reelgate_credentials_issued_total").get("") ?? 0;
  const denied = [...sumBy(samples, "reelgate_edge_media_denied_total", "reason")];
  const queueAge = sumBy(samples, "reelgate_job_queue_oldest_age_seconds").get("") ?? 0;
  return (
    <section aria-labelledby="system" className="space-y-3">
      <h2 id="system" className="text-lg font-semibold">
        System since start
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        <Stat label="API requests" value={String(total)} />
        <Stat label="API 5xx" value={String(errors)} />
        <Stat label="API p99 latency" value={ms(p99 === null ? null : p99 * 1000)} />
        <Stat label="Credentials issued" value={String(issued)} />
        <Stat label="Oldest queued job" value={`${Math.round(queueAge)} s`} />
      </dl>
      {denied.length > 0 ? (
        <p className="text-sm text-muted">
          Edge refusals:{" "}
          {denied.map(([reason, n]) => `${reason.replace("_", " ")} ${n}`).join(", ")}
        </p>
      ) : null}
    </section>
  );
}
