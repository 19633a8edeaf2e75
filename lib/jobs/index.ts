import "server-only";

export { startWorker, wakeWorkers, type Worker } from "./worker";
export { startQueueDepthMetric, QUEUE_DEPTH_METRIC } from "./queue-metric";
export {
  enqueueTranscode,
  claimJob,
  expireAllLeases,
  heartbeat,
  failJob,
  releaseJob,
  queueDepth,
  backoffSeconds,
  type Job,
} from "./queue";
export { queueStats, type QueueStats } from "./queue-stats";
