import "server-only";

export { startWorker, type Worker } from "./worker";
export {
  enqueueTranscode,
  claimJob,
  heartbeat,
  failJob,
  releaseJob,
  queueDepth,
  backoffSeconds,
  type Job,
} from "./queue";
