import "server-only";
import { env } from "@/lib/env";
import { getDb } from "@/lib/db";
import { queueStats } from "@/lib/jobs/queue-stats";
import { apiMetrics } from "./api-metrics";

/** Reads the queue's gauges from the jobs table into the registry. */
export async function refreshQueueGauges(): Promise<void> {
  const metrics = apiMetrics();
  const stats = await queueStats(await getDb());
  metrics.queueAge.set(stats.oldestQueuedAgeSeconds);
  for (const [status, n] of Object.entries(stats.byStatus)) metrics.jobsByStatus.set({ status }, n);
}

/**
 * Everything GET /api/admin/metrics shows, in Prometheus's text format: this API
 * process's registry (with the in-process worker's counters), and, locally, the preview
 * edge's, fetched from its loopback listener (EDGE_METRICS_URL). The two use distinct
 * metric names, so the texts join as they are. In production the edge is CloudFront,
 * whose figures are CloudWatch's, and EDGE_METRICS_URL is unset.
 */
export async function adminMetricsText(): Promise<{ text: string; contentType: string }> {
  const { registry } = apiMetrics();
  await refreshQueueGauges().catch(() => undefined);
  const parts = [await registry.metrics()];
  const edgeUrl = env().EDGE_METRICS_URL;
  if (edgeUrl) parts.push(await edgeMetrics(edgeUrl));
  return { text: parts.join("\n"), contentType: registry.contentType };
}

async function edgeMetrics(url: string): Promise<string> {
  const help = "# HELP reelgate_edge_up Whether the preview edge's metrics could be read\n";
  const type = "# TYPE reelgate_edge_up gauge\n";
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) throw new Error(String(res.status));
    return `${await res.text()}\n${help}${type}reelgate_edge_up 1\n`;
  } catch {
    return `${help}${type}reelgate_edge_up 0\n`;
  }
}
