// Resumable multipart uploads from the browser, framework-free. The page feeds it
// files and renders its snapshots; tests drive it with a fake transport.
//
// Protocol: create the upload, ask for part URLs in small batches, PUT the parts
// (same-origin route or presigned S3 URL, the uploader does not care), then
// complete with every part's ETag. See lib/contract/types.ts for the shapes.

import {
  backoffDelay,
  partRanges,
  progressFigures,
  SpeedMeter,
  type PartRange,
  type ProgressFigures,
} from "./upload-math";
import { PartUrlBatcher, type PartTarget } from "./upload-part-urls";
import {
  fileFingerprint,
  ResumeStore,
  type KeyValueStorage,
  type ResumeEntry,
} from "./upload-resume-store";
import { UploadHttpError, type UploadTransport } from "./upload-transport";
import { contentTypeFor, refusalReason, titleFromFileName } from "./upload-validate";
import type { CreateUploadBody, UploadState } from "@/lib/contract/types";

export { fileFingerprint, type ResumeEntry } from "./upload-resume-store";
export { browserTransport, UploadHttpError, type UploadTransport } from "./upload-transport";

/** What the uploader needs of a File (a File satisfies it; tests pass Blob-backed fakes). */
export interface UploadFile {
  name: string;
  size: number;
  type: string;
  lastModified: number;
  slice(start?: number, end?: number): Blob;
}

export type UploadPhase =
  | "pending"
  | "refused"
  | "queued"
  | "uploading"
  | "completing"
  | "complete"
  | "failed"
  | "cancelling"
  | "cancelled";

/** One row of the upload list, as the page renders it. Snapshots are immutable. */
export interface UploadItem {
  key: string;
  fileName: string;
  sizeBytes: number;
  fingerprint: string;
  title: string;
  description: string;
  phase: UploadPhase;
  /** Refusal reason, failure reason or a hint; null when there is nothing to say. */
  message: string | null;
  uploadId: string | null;
  videoId: string | null;
  /** A remembered unfinished upload matched this file; parts already sent are skipped. */
  resuming: boolean;
  partsDone: number;
  partCount: number;
  progress: ProgressFigures;
}

export interface UploaderOptions {
  transport: UploadTransport;
  /** Where unfinished uploads are remembered (window.localStorage); null disables resume. */
  storage?: KeyValueStorage | null;
  /** Files uploading at the same time. Default 2. */
  concurrentFiles?: number;
  /** Parts in flight per file. Default 3. */
  partsPerFile?: number;
  /** Attempts per part before the file fails. Default 4. */
  maxAttempts?: number;
  /** First retry delay; doubles on each further attempt. Default 1000 ms. */
  retryBaseMs?: number;
  /** Part URLs older than this are fetched again. Default 4 min. */
  urlMaxAgeMs?: number;
  /** Progress is pushed to listeners at most this often. Default 100 ms; 0 pushes every change. */
  progressIntervalMs?: number;
  /** Monotonic clock in ms. */
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface Job {
  item: UploadItem;
  file: UploadFile;
  /** Upload id from a remembered entry, tried (GET) before creating a new upload. */
  rememberedUploadId: string | null;
  abort: AbortController | null;
  run: Promise<void> | null;
  confirmedBytes: number;
  inflight: Map<number, number>;
  meter: SpeedMeter;
}

/** The server refused the file itself (413/415/422 on create): no point retrying. */
class RefusedError extends Error {}

const REFUSAL_STATUSES = new Set([413, 415, 422]);
const BUSY = new Set<UploadPhase>(["queued", "uploading", "completing", "cancelling"]);

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DOMException("Aborted", "AbortError"));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException("Aborted", "AbortError"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** HTTP status of an UploadHttpError or an ApiError from apiFetch; null for anything else. */
function statusOf(err: unknown): number | null {
  if (err instanceof Error && "status" in err && typeof err.status === "number") return err.status;
  return null;
}

/** 403 from a part PUT is an expired URL; network errors, timeouts, throttling and 5xx pass. */
function isTransientPutError(err: unknown): boolean {
  if (!(err instanceof UploadHttpError)) return false;
  if (err.code === "etag_missing") return false;
  const s = err.status;
  return s === 0 || s === 403 || s === 408 || s === 429 || s >= 500;
}

export class Uploader {
  private readonly jobs: Job[] = [];
  private readonly listeners = new Set<(items: readonly UploadItem[]) => void>();
  private readonly store: ResumeStore;
  private readonly opts: Required<Omit<UploaderOptions, "storage">>;
  private snapshot: readonly UploadItem[] = [];
  private remembered: readonly ResumeEntry[] | null = null;
  private active = 0;
  private nextKey = 0;
  private lastEmit = -Infinity;
  private emitTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: UploaderOptions) {
    this.store = new ResumeStore(options.storage ?? null);
    this.opts = {
      transport: options.transport,
      concurrentFiles: options.concurrentFiles ?? 2,
      partsPerFile: options.partsPerFile ?? 3,
      maxAttempts: options.maxAttempts ?? 4,
      retryBaseMs: options.retryBaseMs ?? 1000,
      urlMaxAgeMs: options.urlMaxAgeMs ?? 4 * 60_000,
      progressIntervalMs: options.progressIntervalMs ?? 100,
      now: options.now ?? (() => performance.now()),
      sleep: options.sleep ?? defaultSleep,
    };
  }

  /** Current rows; the same array until something changes (for useSyncExternalStore). */
  getSnapshot = (): readonly UploadItem[] => this.snapshot;

  subscribe = (listener: (items: readonly UploadItem[]) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Unfinished uploads remembered from earlier visits that no row matches yet; the same
   * array until it changes (for useSyncExternalStore).
   */
  rememberedUploads = (): readonly ResumeEntry[] => {
    if (this.remembered === null) this.remembered = this.readRemembered();
    return this.remembered;
  };

  /** Gives up a remembered upload without its file: cancels it on the server too. */
  async forgetRemembered(fingerprint: string): Promise<void> {
    const entry = this.store.get(fingerprint);
    this.store.remove(fingerprint);
    this.emitNow();
    if (entry) await this.deleteOnServer(entry.uploadId).catch(() => undefined);
  }

  /**
   * Adds files as pending rows (or refused rows with the reason). A file matching a
   * remembered upload gets its title back and will resume where it stopped.
   */
  add(files: Iterable<UploadFile>): string[] {
    const keys: string[] = [];
    for (const file of files) {
      const fingerprint = fileFingerprint(file);
      const key = `upload-${++this.nextKey}`;
      const remembered = this.store.get(fingerprint);
      const duplicate = this.jobs.some(
        (j) => j.item.fingerprint === fingerprint && !isSettled(j.item.phase),
      );
      const refusal = duplicate ? "This file is already in the list" : refusalReason(file);
      this.jobs.push({
        file,
        rememberedUploadId: remembered && !refusal ? remembered.uploadId : null,
        abort: null,
        run: null,
        confirmedBytes: 0,
        inflight: new Map(),
        meter: new SpeedMeter(),
        item: {
          key,
          fileName: file.name,
          sizeBytes: file.size,
          fingerprint,
          title: remembered?.title || titleFromFileName(file.name),
          description: remembered?.description ?? "",
          phase: refusal ? "refused" : "pending",
          message: refusal,
          uploadId: null,
          videoId: null,
          resuming: Boolean(remembered && !refusal),
          partsDone: 0,
          partCount: 0,
          progress: progressFigures(0, file.size, null),
        },
      });
      keys.push(key);
    }
    this.emitNow();
    return keys;
  }

  /** Edits title/description of a row that has not started yet. */
  update(key: string, fields: { title?: string; description?: string }): void {
    const job = this.job(key);
    if (!job || job.item.phase !== "pending") return;
    if (fields.title !== undefined) job.item.title = fields.title;
    if (fields.description !== undefined) job.item.description = fields.description;
    if (job.item.phase === "pending" && job.item.title.trim()) job.item.message = null;
    this.emitNow();
  }

  /** Queues one row (pending or failed, i.e. retry) or every pending row. */
  start(key?: string): void {
    const targets = key
      ? this.jobs.filter((j) => j.item.key === key)
      : this.jobs.filter((j) => j.item.phase === "pending");
    for (const job of targets) {
      const { phase } = job.item;
      if (phase !== "pending" && phase !== "failed") continue;
      if (phase === "pending" && !job.item.title.trim()) {
        job.item.message = "A title is required";
        continue;
      }
      job.item.phase = "queued";
      job.item.message = null;
    }
    this.emitNow();
    this.pump();
  }

  /**
   * Stops a row: aborts its requests, cancels the upload on the server (which deletes
   * the video record) and forgets it. A completed upload is left alone.
   */
  async cancel(key: string): Promise<void> {
    const job = this.job(key);
    if (!job) return;
    const { phase } = job.item;
    if (phase === "complete" || phase === "cancelled" || phase === "cancelling") return;
    if (phase === "pending" || phase === "refused" || phase === "queued") {
      job.item.phase = "cancelled";
      job.item.message = null;
      this.emitNow();
      // A matched remembered upload is given up as well, or it would linger on the server.
      if (job.rememberedUploadId) {
        this.store.remove(job.item.fingerprint);
        await this.deleteOnServer(job.rememberedUploadId).catch(() => undefined);
      }
      return;
    }
    job.item.phase = "cancelling";
    this.emitNow();
    job.abort?.abort();
    if (job.run) await job.run.catch(() => undefined);
    // The run may have completed just before the abort landed; then there is nothing to cancel.
    if ((job.item.phase as UploadPhase) === "complete") return;
    this.store.remove(job.item.fingerprint);
    const uploadId = job.item.uploadId ?? job.rememberedUploadId;
    job.item.phase = "cancelled";
    job.item.message = null;
    job.inflight.clear();
    if (uploadId) {
      try {
        await this.deleteOnServer(uploadId);
      } catch (err) {
        job.item.message = `Stopped here, but the server did not cancel the upload: ${messageOf(err)}`;
      }
    }
    this.emitNow();
  }

  /** Drops a row that is not running (refused, cancelled, complete, pending). */
  remove(key: string): void {
    const index = this.jobs.findIndex((j) => j.item.key === key);
    const job = this.jobs[index];
    if (!job || job.run) return;
    this.jobs.splice(index, 1);
    this.emitNow();
  }

  /** Aborts everything in flight without cancelling on the server, so it can be resumed. */
  dispose(): void {
    for (const job of this.jobs) job.abort?.abort();
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.emitTimer = null;
  }

  /** True while any row is queued, uploading or finishing (for a leave-page warning). */
  isBusy(): boolean {
    return this.jobs.some((j) => BUSY.has(j.item.phase));
  }

  private job(key: string): Job | undefined {
    return this.jobs.find((j) => j.item.key === key);
  }

  private pump(): void {
    while (this.active < this.opts.concurrentFiles) {
      const next = this.jobs.find((j) => j.item.phase === "queued");
      if (!next) return;
      this.active++;
      next.abort = new AbortController();
      next.item.phase = "uploading";
      this.emitNow();
      next.run = this.run(next, next.abort.signal).finally(() => {
        this.active--;
        next.run = null;
        this.emitNow();
        this.pump();
      });
    }
  }

  private async run(job: Job, signal: AbortSignal): Promise<void> {
    try {
      const state = await this.open(job, signal);
      if (signal.aborted) return;
      if (state.status === "completed") return this.finish(job, state.videoId);

      const ranges = partRanges(job.file.size, state.partSize);
      if (ranges.length !== state.partCount) {
        throw new Error(
          `The server expects ${state.partCount} parts but the file makes ${ranges.length}`,
        );
      }
      const etags = new Map<number, string>();
      for (const p of state.uploadedParts) {
        if (p.partNumber >= 1 && p.partNumber <= ranges.length) etags.set(p.partNumber, p.etag);
      }
      const todo = ranges.filter((r) => !etags.has(r.partNumber));
      job.confirmedBytes = ranges
        .filter((r) => etags.has(r.partNumber))
        .reduce((sum, r) => sum + (r.end - r.start), 0);
      job.inflight.clear();
      job.meter.reset();
      job.item.partCount = ranges.length;
      job.item.partsDone = ranges.length - todo.length;
      this.updateProgress(job, true);

      await this.sendParts(job, state.id, todo, etags, signal);
      if (signal.aborted) return;

      job.item.phase = "completing";
      this.emitNow();
      const videoId = await this.complete(job, state, ranges, etags, signal);
      this.finish(job, videoId);
    } catch (err) {
      if (signal.aborted) return;
      job.inflight.clear();
      job.item.phase = err instanceof RefusedError ? "refused" : "failed";
      job.item.message = messageOf(err);
      this.updateProgress(job, true);
    }
  }

  /** Resumes the remembered/earlier upload when the server still has it open, else creates one. */
  private async open(job: Job, signal: AbortSignal): Promise<UploadState> {
    const knownId = job.item.uploadId ?? job.rememberedUploadId;
    if (knownId) {
      try {
        const state = await this.opts.transport.json<UploadState>(
          "GET",
          `/api/admin/uploads/${encodeURIComponent(knownId)}`,
          undefined,
          signal,
        );
        if (
          state.status === "completed" ||
          (state.status === "open" && state.sizeBytes === job.file.size)
        ) {
          job.item.uploadId = state.id;
          job.item.videoId = state.videoId;
          return state;
        }
      } catch (err) {
        // Gone (expired, cancelled elsewhere): start over. Anything else is a real failure.
        if (statusOf(err) !== 404) throw err;
      }
      this.store.remove(job.item.fingerprint);
      job.rememberedUploadId = null;
      job.item.uploadId = null;
      job.item.resuming = false;
    }

    const body: CreateUploadBody = {
      fileName: job.file.name,
      contentType: contentTypeFor(job.file.name, job.file.type),
      sizeBytes: job.file.size,
      title: job.item.title.trim(),
      ...(job.item.description.trim() ? { description: job.item.description.trim() } : {}),
    };
    let state: UploadState;
    try {
      // No abort signal: a create cancelled in flight may still succeed on the server, and
      // only its answer tells which upload the cancel must delete.
      state = await this.opts.transport.json<UploadState>("POST", "/api/admin/uploads", body);
    } catch (err) {
      const status = statusOf(err);
      if (status !== null && REFUSAL_STATUSES.has(status)) throw new RefusedError(messageOf(err));
      throw err;
    }
    job.item.uploadId = state.id;
    job.item.videoId = state.videoId;
    this.store.save({
      fingerprint: job.item.fingerprint,
      uploadId: state.id,
      fileName: job.file.name,
      size: job.file.size,
      lastModified: job.file.lastModified,
      title: job.item.title,
      description: job.item.description,
      savedAt: Date.now(),
    });
    return state;
  }

  private async sendParts(
    job: Job,
    uploadId: string,
    todo: PartRange[],
    etags: Map<number, string>,
    signal: AbortSignal,
  ): Promise<void> {
    const queue = [...todo];
    // One failed part fails the file; its siblings stop too, the upload stays resumable.
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    const urls = new PartUrlBatcher(
      this.opts.transport,
      uploadId,
      this.opts.partsPerFile,
      this.opts.now,
      this.opts.urlMaxAgeMs,
    );
    let failure = null as { err: unknown } | null;
    const upcoming = () => queue.map((r) => r.partNumber);

    const worker = async () => {
      for (let range = queue.shift(); range && !stop.signal.aborted; range = queue.shift()) {
        try {
          etags.set(range.partNumber, await this.sendPart(job, range, urls, upcoming, stop.signal));
        } catch (err) {
          if (!stop.signal.aborted) failure ??= { err };
          stop.abort();
        }
      }
    };
    const workers = Math.min(this.opts.partsPerFile, queue.length);
    try {
      await Promise.all(Array.from({ length: workers }, worker));
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    if (failure) throw failure.err;
  }

  private async sendPart(
    job: Job,
    range: PartRange,
    urls: PartUrlBatcher,
    upcoming: () => number[],
    signal: AbortSignal,
  ): Promise<string> {
    const { partNumber } = range;
    for (let attempt = 1; ; attempt++) {
      let target: PartTarget;
      try {
        target = await urls.get(partNumber, upcoming, signal);
      } catch (err) {
        if (signal.aborted) throw err;
        const s = statusOf(err);
        // Asking for URLs: only transient answers are worth another try (a 403 here
        // means the session is gone, not an expired URL).
        const transient = s === 0 || s === 408 || s === 429 || (s !== null && s >= 500);
        if (!transient || attempt >= this.opts.maxAttempts) {
          throw new Error(`Part ${partNumber}: ${messageOf(err)}`);
        }
        await this.opts.sleep(backoffDelay(attempt, this.opts.retryBaseMs), signal);
        continue;
      }
      try {
        const { etag } = await this.opts.transport.putPart({
          url: target.url,
          headers: target.headers,
          body: job.file.slice(range.start, range.end),
          signal,
          onProgress: (loaded) => {
            if (signal.aborted) return;
            job.inflight.set(partNumber, Math.min(loaded, range.end - range.start));
            this.updateProgress(job, false);
          },
        });
        job.inflight.delete(partNumber);
        job.confirmedBytes += range.end - range.start;
        job.item.partsDone++;
        this.updateProgress(job, false);
        return etag;
      } catch (err) {
        job.inflight.delete(partNumber);
        if (signal.aborted) throw err;
        this.updateProgress(job, false);
        if (!isTransientPutError(err) || attempt >= this.opts.maxAttempts) {
          const tries = attempt > 1 ? ` after ${attempt} attempts` : "";
          throw new Error(`Part ${partNumber} failed${tries}: ${messageOf(err)}`);
        }
        if (statusOf(err) === 403) {
          // Presigned URL expired (or its clock skewed): a fresh one, at once.
          urls.invalidate(partNumber);
        } else {
          await this.opts.sleep(backoffDelay(attempt, this.opts.retryBaseMs), signal);
        }
      }
    }
  }

  private async complete(
    job: Job,
    state: UploadState,
    ranges: PartRange[],
    etags: Map<number, string>,
    signal: AbortSignal,
  ): Promise<string> {
    const parts = ranges.map((r) => ({ partNumber: r.partNumber, etag: etags.get(r.partNumber)! }));
    const path = `/api/admin/uploads/${encodeURIComponent(state.id)}`;
    try {
      const res = await this.opts.transport.json<{ videoId: string; status: string }>(
        "POST",
        `${path}/complete`,
        { parts },
        signal,
      );
      return res.videoId;
    } catch (err) {
      // 409: completed already (an answer lost to a reload or a flaky network).
      if (statusOf(err) !== 409) throw err;
      const now = await this.opts.transport.json<UploadState>("GET", path, undefined, signal);
      if (now.status !== "completed") throw err;
      job.item.partsDone = job.item.partCount;
      return now.videoId;
    }
  }

  private finish(job: Job, videoId: string): void {
    this.store.remove(job.item.fingerprint);
    job.inflight.clear();
    job.confirmedBytes = job.file.size;
    job.item.videoId = videoId;
    job.item.phase = "complete";
    job.item.message = null;
    job.item.partsDone = job.item.partCount;
    this.updateProgress(job, true);
  }

  private updateProgress(job: Job, force: boolean): void {
    let sent = job.confirmedBytes;
    for (const loaded of job.inflight.values()) sent += loaded;
    const t = this.opts.now();
    if (job.item.phase === "uploading") job.meter.record(t, sent);
    const speed = job.item.phase === "uploading" ? job.meter.bytesPerSecond() : null;
    job.item.progress = progressFigures(sent, job.file.size, speed);
    if (force) this.emitNow();
    else this.emitSoon();
  }

  private emitSoon(): void {
    const wait = this.lastEmit + this.opts.progressIntervalMs - this.opts.now();
    if (wait <= 0) return this.emitNow();
    this.emitTimer ??= setTimeout(() => this.emitNow(), wait);
  }

  private emitNow(): void {
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.emitTimer = null;
    this.lastEmit = this.opts.now();
    this.snapshot = this.jobs.map((j) => ({ ...j.item, progress: { ...j.item.progress } }));
    const remembered = this.readRemembered();
    if (JSON.stringify(remembered) !== JSON.stringify(this.remembered)) {
      this.remembered = remembered;
    }
    for (const listener of this.listeners) listener(this.snapshot);
  }

  private readRemembered(): ResumeEntry[] {
    const shown = new Set(this.jobs.map((j) => j.item.fingerprint));
    return this.store.list().filter((e) => !shown.has(e.fingerprint));
  }

  private async deleteOnServer(uploadId: string): Promise<void> {
    try {
      await this.opts.transport.json(
        "DELETE",
        `/api/admin/uploads/${encodeURIComponent(uploadId)}`,
      );
    } catch (err) {
      // Already gone or already completed: nothing left to cancel.
      const s = statusOf(err);
      if (s !== 404 && s !== 409) throw err;
    }
  }
}

function isSettled(phase: UploadPhase): boolean {
  return phase === "complete" || phase === "cancelled" || phase === "refused";
}
