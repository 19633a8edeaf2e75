import "server-only";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { Db } from "@/lib/db";
import { queueDepth } from "./queue";
import { getLogger } from "@/lib/observability/logger";

/** Where the worker service's autoscaling policy (infra/lib/worker-service.ts) reads from. */
export const QUEUE_DEPTH_METRIC = { namespace: "Reelgate", name: "QueueDepth" } as const;

/**
 * Publishes the number of queued and running jobs to CloudWatch once a minute, so
 * that ECS adds workers when uploads pile up and removes them when the queue is
 * empty. Every worker publishes the same figure (it is read from the shared
 * table), so the metric survives any one worker going away. A failed publish is
 * logged and retried at the next tick; it never stops the worker.
 */
export function startQueueDepthMetric(options: {
  db: Db;
  stage: string;
  intervalMs?: number;
  client?: CloudWatchClient;
  log?: (line: string) => void;
}): { publish: () => Promise<void>; stop: () => void } {
  const client = options.client ?? new CloudWatchClient({});
  const log = options.log ?? ((line: string) => getLogger("worker").warn(line));
  const publish = async () => {
    try {
      const depth = await queueDepth(options.db);
      await client.send(
        new PutMetricDataCommand({
          Namespace: QUEUE_DEPTH_METRIC.namespace,
          MetricData: [
            {
              MetricName: QUEUE_DEPTH_METRIC.name,
              Dimensions: [{ Name: "Stage", Value: options.stage }],
              Unit: "Count",
              Value: depth,
            },
          ],
        }),
      );
    } catch (err) {
      log(`queue depth metric not published: ${err instanceof Error ? err.name : String(err)}`);
    }
  };
  void publish();
  const timer = setInterval(() => void publish(), options.intervalMs ?? 60_000);
  timer.unref();
  return { publish, stop: () => clearInterval(timer) };
}
