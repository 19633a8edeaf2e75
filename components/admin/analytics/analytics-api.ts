import { apiFetch } from "@/lib/client/api";
import type { AnalyticsSummary, VideoAnalytics } from "@/lib/contract/analytics-types";

export function fetchSummary(days: number, signal?: AbortSignal): Promise<AnalyticsSummary> {
  return apiFetch<AnalyticsSummary>(`/api/admin/analytics?days=${days}`, {
    signal,
    redirectOn401: true,
  });
}

export function fetchVideoAnalytics(
  id: string,
  days: number,
  signal?: AbortSignal,
): Promise<VideoAnalytics> {
  return apiFetch<VideoAnalytics>(
    `/api/admin/analytics/videos/${encodeURIComponent(id)}?days=${days}`,
    { signal, redirectOn401: true },
  );
}

/** The Prometheus text of GET /api/admin/metrics. */
export async function fetchMetricsText(signal?: AbortSignal): Promise<string> {
  const res = await fetch("/api/admin/metrics", { signal, credentials: "same-origin" });
  if (!res.ok) throw new Error(`The metrics answered ${res.status}.`);
  return res.text();
}
