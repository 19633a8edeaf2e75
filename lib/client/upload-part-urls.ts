// Part URLs (presigned S3 URLs in production) expire, so they are asked for in small
// batches just before use and dropped when old or refused.

import type { UploadTransport } from "./upload-transport";
import type { PartUrlsResponse } from "@/lib/contract/types";

/** Where and how to PUT one part. */
export interface PartTarget {
  url: string;
  headers?: Record<string, string>;
  fetchedAt: number;
}

export class PartUrlBatcher {
  private readonly cache = new Map<number, PartTarget>();
  private readonly pending = new Map<number, Promise<void>>();

  constructor(
    private readonly transport: UploadTransport,
    private readonly uploadId: string,
    private readonly batchSize: number,
    private readonly now: () => number,
    private readonly maxAgeMs: number,
  ) {}

  /**
   * The URL for `partNumber`. When it must be fetched, the next parts from `upcoming`
   * that have no URL yet ride along in the same request.
   */
  async get(
    partNumber: number,
    upcoming: () => number[],
    signal: AbortSignal,
  ): Promise<PartTarget> {
    const inFlight = this.pending.get(partNumber);
    if (inFlight) {
      await inFlight;
      const got = this.fresh(partNumber);
      if (got) return got;
    }
    const cached = this.fresh(partNumber);
    if (cached) return cached;

    const batch = [partNumber];
    for (const n of upcoming()) {
      if (batch.length >= this.batchSize) break;
      if (n !== partNumber && !this.fresh(n) && !this.pending.has(n)) batch.push(n);
    }
    const request = this.fetch(batch, signal);
    for (const n of batch) this.pending.set(n, request);
    try {
      await request;
    } finally {
      for (const n of batch) if (this.pending.get(n) === request) this.pending.delete(n);
    }
    const got = this.fresh(partNumber);
    if (!got) throw new Error(`The server gave no URL for part ${partNumber}`);
    return got;
  }

  /**
   * Forgets the URL of a refused part and every URL fetched no later than it: they
   * were signed together, so they expired together.
   */
  invalidate(partNumber: number): void {
    const refused = this.cache.get(partNumber);
    if (!refused) return;
    for (const [n, target] of this.cache) {
      if (target.fetchedAt <= refused.fetchedAt) this.cache.delete(n);
    }
  }

  private fresh(partNumber: number): PartTarget | null {
    const target = this.cache.get(partNumber);
    if (!target) return null;
    if (this.now() - target.fetchedAt > this.maxAgeMs) {
      this.cache.delete(partNumber);
      return null;
    }
    return target;
  }

  private async fetch(partNumbers: number[], signal: AbortSignal): Promise<void> {
    const res = await this.transport.json<PartUrlsResponse>(
      "POST",
      `/api/admin/uploads/${encodeURIComponent(this.uploadId)}/parts`,
      { partNumbers },
      signal,
    );
    const fetchedAt = this.now();
    for (const p of res.parts) {
      this.cache.set(p.partNumber, { url: p.url, headers: p.headers, fetchedAt });
    }
  }
}
