import "server-only";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Request latency buckets in seconds: from a cached answer to a slow upload part. */
export const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

function create() {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: "reelgate_api_" });
  return {
    registry,
    httpRequests: new Counter({
      name: "reelgate_http_requests_total",
      help: "API requests answered, by route pattern, method and status",
      labelNames: ["route", "method", "status"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: "reelgate_http_request_duration_seconds",
      help: "API request latency inside the handler wrapper, by route pattern, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    credentialsIssued: new Counter({
      name: "reelgate_credentials_issued_total",
      help: "CloudFront credentials issued: signed cookie sets and signed URLs",
      labelNames: ["kind"] as const,
      registers,
    }),
    signerKeyRefreshes: new Counter({
      name: "reelgate_signer_key_refreshes_total",
      help: "Reads of the CloudFront private key into the signer's cache (SSM or file)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    signerErrors: new Counter({
      name: "reelgate_signer_errors_total",
      help: "Failures to read or use the signing key",
      registers,
    }),
    jobDuration: new Histogram({
      name: "reelgate_job_duration_seconds",
      help: "Transcode attempts run by this process's workers, by outcome",
      labelNames: ["outcome"] as const,
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
      registers,
    }),
    jobQueueWait: new Histogram({
      name: "reelgate_job_queue_wait_seconds",
      help: "Time a job waited in the queue before this process's workers claimed it",
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    }),
    jobsFailed: new Counter({
      name: "reelgate_jobs_failed_total",
      help: "Jobs that failed for good in this process's workers",
      registers,
    }),
    queueAge: new Gauge({
      name: "reelgate_job_queue_oldest_age_seconds",
      help: "Age of the oldest claimable queued job (read from the jobs table at scrape time)",
      registers,
    }),
    jobsByStatus: new Gauge({
      name: "reelgate_jobs",
      help: "Jobs in the table by status (read at scrape time)",
      labelNames: ["status"] as const,
      registers,
    }),
    beacons: new Counter({
      name: "reelgate_beacons_total",
      help: "Playback beacons: accepted, or refused by reason",
      labelNames: ["outcome"] as const,
      registers,
    }),
  };
}

export type ApiMetrics = ReturnType<typeof create>;

// On globalThis: Next.js bundles instrumentation (the in-process worker) and each route
// apart, and all of them must count into the one registry GET /api/admin/metrics reads.
const shared = globalThis as { __reelgateApiMetrics?: ApiMetrics };

/** The API process's metrics (also the in-process worker's and a worker process's). */
export function apiMetrics(): ApiMetrics {
  return (shared.__reelgateApiMetrics ??= create());
}
