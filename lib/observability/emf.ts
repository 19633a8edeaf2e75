import "server-only";
import type { Registry } from "prom-client";

/**
 * CloudWatch embedded metric format (EMF): metrics as JSON log lines, which CloudWatch
 * Logs turns into CloudWatch metrics as it ingests them, so the ECS tasks need no agent
 * and no PutMetricData permission. Every flush turns what the registry counted since the
 * last one into one line per process.
 */
export const EMF_NAMESPACE = "Reelgate";

/** A CloudWatch metric made from the registry: its name, unit, and how to read it. */
export interface EmfMetric {
  name: string;
  unit: "Count" | "Milliseconds" | "Seconds";
  /** Counter: the sum of all series of `source` since the last flush. */
  counter?: string;
  /** Only the series whose labels pass. */
  where?: (labels: Record<string, string | number>) => boolean;
  /** Histogram: the observations since the last flush, as bucket values and counts. */
  histogram?: string;
  /** Gauge: its current value (the largest series). */
  gauge?: string;
  /** Histogram values in seconds are written in this unit (x1000 for Milliseconds). */
  scale?: number;
}

/** The API's and the worker's CloudWatch metrics (infra/lib/alarms.ts alarms on them). */
export const EMF_METRICS: EmfMetric[] = [
  { name: "Requests", unit: "Count", counter: "reelgate_http_requests_total" },
  {
    name: "Errors5xx",
    unit: "Count",
    counter: "reelgate_http_requests_total",
    where: (l) => String(l.status).startsWith("5"),
  },
  {
    name: "Latency",
    unit: "Milliseconds",
    histogram: "reelgate_http_request_duration_seconds",
    scale: 1000,
  },
  { name: "CredentialsIssued", unit: "Count", counter: "reelgate_credentials_issued_total" },
  { name: "SignerErrors", unit: "Count", counter: "reelgate_signer_errors_total" },
  { name: "SignerKeyRefreshes", unit: "Count", counter: "reelgate_signer_key_refreshes_total" },
  { name: "JobsFailed", unit: "Count", counter: "reelgate_jobs_failed_total" },
  { name: "JobDuration", unit: "Seconds", histogram: "reelgate_job_duration_seconds" },
  { name: "QueueAgeSeconds", unit: "Seconds", gauge: "reelgate_job_queue_oldest_age_seconds" },
  {
    name: "BeaconsRefused",
    unit: "Count",
    counter: "reelgate_beacons_total",
    where: (l) => l.outcome !== "accepted",
  },
];

interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

export type Snapshot = Map<string, Sample[]>;

/**
 * The registry's values now. Copied: prom-client hands out its live objects, which the
 * next increment would change under the previous flush's figures.
 */
export async function metricsSnapshot(registry: Registry): Promise<Snapshot> {
  const metrics = await registry.getMetricsAsJSON();
  return new Map(
    metrics.map((m) => [
      m.name,
      (m.values as Sample[]).map((s) => ({
        value: s.value,
        labels: { ...s.labels },
        metricName: s.metricName,
      })),
    ]),
  );
}

const key = (s: Sample) => `${s.metricName ?? ""}|${JSON.stringify(s.labels)}`;

/** Counter and bucket totals by series, to subtract the previous flush's from. */
function totals(samples: Sample[] | undefined): Map<string, Sample> {
  return new Map((samples ?? []).map((s) => [key(s), s]));
}

/**
 * One EMF record for what changed between `before` and `after` (null when nothing did).
 * Histograms become `{Values, Counts}` from their buckets (each bucket's observations at
 * the bucket's upper bound, the overflow at the last bound), which CloudWatch computes
 * percentiles from.
 */
export function emfRecord(
  before: Snapshot,
  after: Snapshot,
  dimensions: Record<string, string>,
  at: Date,
  metrics: EmfMetric[] = EMF_METRICS,
): Record<string, unknown> | null {
  const record: Record<string, unknown> = { ...dimensions };
  const defs: { Name: string; Unit: string }[] = [];
  for (const metric of metrics) {
    let value: unknown;
    if (metric.counter) {
      const old = totals(before.get(metric.counter));
      let sum = 0;
      for (const s of after.get(metric.counter) ?? []) {
        if (metric.where && !metric.where(s.labels)) continue;
        sum += s.value - (old.get(key(s))?.value ?? 0);
      }
      if (sum > 0) value = sum;
    } else if (metric.gauge) {
      const values = (after.get(metric.gauge) ?? []).map((s) => s.value);
      if (values.length > 0) value = Math.max(...values);
    } else if (metric.histogram) {
      value = histogramDelta(before, after, metric.histogram, metric.scale ?? 1);
    }
    if (value === undefined) continue;
    record[metric.name] = value;
    defs.push({ Name: metric.name, Unit: metric.unit });
  }
  if (defs.length === 0) return null;
  return {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        { Namespace: EMF_NAMESPACE, Dimensions: [Object.keys(dimensions)], Metrics: defs },
      ],
    },
    ...record,
  };
}

function histogramDelta(
  before: Snapshot,
  after: Snapshot,
  name: string,
  scale: number,
): { Values: number[]; Counts: number[] } | undefined {
  const bucketName = `${name}_bucket`;
  const old = totals(before.get(name));
  // Cumulative bucket counts summed over every label set, by upper bound.
  const byBound = new Map<number, number>();
  for (const s of after.get(name) ?? []) {
    if (s.metricName !== bucketName) continue;
    const le = s.labels.le;
    const bound = le === "+Inf" ? Infinity : Number(le);
    const delta = s.value - (old.get(key(s))?.value ?? 0);
    byBound.set(bound, (byBound.get(bound) ?? 0) + delta);
  }
  const bounds = [...byBound.keys()].sort((a, b) => a - b);
  const values: number[] = [];
  const counts: number[] = [];
  let below = 0;
  let lastFinite = 0;
  for (const bound of bounds) {
    const cumulative = byBound.get(bound)!;
    const inBucket = cumulative - below;
    below = cumulative;
    if (Number.isFinite(bound)) lastFinite = bound;
    if (inBucket <= 0) continue;
    values.push((Number.isFinite(bound) ? bound : lastFinite) * scale);
    counts.push(inBucket);
  }
  return values.length > 0 ? { Values: values, Counts: counts } : undefined;
}

/**
 * Writes an EMF line every `intervalMs` (default 60 s, CloudWatch's standard resolution)
 * with what `registry` counted since the last one. `beforeFlush` refreshes gauges that
 * are read from elsewhere (the queue's age from the jobs table).
 */
export function startEmfFlusher(options: {
  registry: Registry;
  dimensions: Record<string, string>;
  write: (line: string) => void;
  intervalMs?: number;
  beforeFlush?: () => Promise<void>;
}): { flush: () => Promise<void>; stop: () => void } {
  let last: Snapshot = new Map();
  let ready = metricsSnapshot(options.registry).then((s) => {
    last = s;
  });
  const flush = async () => {
    await ready;
    await options.beforeFlush?.().catch(() => undefined);
    const now = await metricsSnapshot(options.registry);
    const record = emfRecord(last, now, options.dimensions, new Date());
    last = now;
    if (record) options.write(JSON.stringify(record) + "\n");
  };
  const timer = setInterval(() => {
    ready = flush().catch(() => undefined);
  }, options.intervalMs ?? 60_000);
  timer.unref();
  return { flush, stop: () => clearInterval(timer) };
}
