import "server-only";
import { env } from "@/lib/env";
import { apiMetrics } from "./api-metrics";
import { refreshQueueGauges } from "./admin-metrics";
import { startEmfFlusher } from "./emf";

/**
 * The API server's and the worker's periodic observability: with METRICS_EMF (set on
 * ECS by infra/), one CloudWatch embedded-metric-format line a minute on stdout, where
 * the awslogs driver takes it to CloudWatch Logs and CloudWatch makes the metrics the
 * alarms watch (infra/lib/alarms.ts). Started once per process.
 */
export function startObservability(): void {
  const shared = globalThis as { __reelgateObservability?: boolean };
  if (shared.__reelgateObservability) return;
  shared.__reelgateObservability = true;
  const config = env();
  if (!config.METRICS_EMF) return;
  startEmfFlusher({
    registry: apiMetrics().registry,
    dimensions: { Stage: config.REELGATE_STAGE ?? "local" },
    write: (line) => process.stdout.write(line),
    beforeFlush: refreshQueueGauges,
  });
}
