import "server-only";

/**
 * A token bucket per key (member), in this process: `perMinute` beacons a minute, with a
 * burst of the same size. Kept in memory because a beacon's worth is a few hundred bytes
 * and a lost count after a restart harms nothing; with several API servers each one
 * allows its own `perMinute` (shared state belongs to issue #23's Redis). At most
 * `maxKeys` members are tracked; the least recently seen go first.
 */
export function createRateLimiter(opts: {
  perMinute: number;
  maxKeys?: number;
  now?: () => number;
}) {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 10_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const ratePerMs = opts.perMinute / 60_000;
  return {
    /** Takes one token for `key`; false when the bucket is empty. */
    take(key: string): boolean {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: opts.perMinute, at: t };
      buckets.delete(key);
      bucket.tokens = Math.min(opts.perMinute, bucket.tokens + (t - bucket.at) * ratePerMs);
      bucket.at = t;
      const ok = bucket.tokens >= 1;
      if (ok) bucket.tokens -= 1;
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
      return ok;
    },
    /** Seconds until `key` has a token again. */
    retryAfter(key: string): number {
      const bucket = buckets.get(key);
      if (!bucket) return 0;
      return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000));
    },
  };
}
