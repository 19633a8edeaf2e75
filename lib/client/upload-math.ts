// Pure arithmetic of an upload: which bytes form which part, and how fast it goes.
// No DOM, no timers: the uploader and the tests feed it numbers.

/** One part of a multipart upload: bytes [start, end) of the file, numbered from 1. */
export interface PartRange {
  partNumber: number;
  start: number;
  end: number;
}

/** Number of parts the server will expect for a file (an empty file has none). */
export function partCountFor(sizeBytes: number, partSize: number): number {
  if (!Number.isInteger(partSize) || partSize <= 0) throw new RangeError("partSize must be > 0");
  if (sizeBytes <= 0) return 0;
  return Math.ceil(sizeBytes / partSize);
}

/** Every part of a file; the last one is shorter unless the size is a multiple of partSize. */
export function partRanges(sizeBytes: number, partSize: number): PartRange[] {
  const count = partCountFor(sizeBytes, partSize);
  const ranges: PartRange[] = [];
  for (let i = 0; i < count; i++) {
    const start = i * partSize;
    ranges.push({ partNumber: i + 1, start, end: Math.min(start + partSize, sizeBytes) });
  }
  return ranges;
}

/** Progress as shown to the admin. Speed and time left are null until there is enough data. */
export interface ProgressFigures {
  bytesSent: number;
  totalBytes: number;
  /** 0..100, rounded down so 100 only shows when every byte is sent. */
  percent: number;
  bytesPerSecond: number | null;
  secondsLeft: number | null;
}

/**
 * Speed as a moving average over a time window. A window (rather than the mean since
 * the start) lets the estimate follow a connection that slows down or speeds up, and
 * bytes skipped on resume never count as speed because only differences are used.
 */
export class SpeedMeter {
  private samples: { t: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 5_000,
    /** Below this much observed time the estimate is too noisy to show. */
    private readonly minSpanMs = 500,
  ) {}

  /** Records the total bytes sent at time `t` (ms, monotonic). */
  record(t: number, bytes: number): void {
    const last = this.samples[this.samples.length - 1];
    // A failed part gives back its in-flight bytes; restart the window rather than
    // report a negative speed.
    if (last && bytes < last.bytes) this.samples = [];
    this.samples.push({ t, bytes });
    const cutoff = t - this.windowMs;
    // Keep one sample at or before the cutoff so the window stays fully covered.
    while (this.samples.length > 2 && this.samples[1]!.t <= cutoff) this.samples.shift();
  }

  /** Bytes per second over the window, or null when fewer than minSpanMs were observed. */
  bytesPerSecond(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last) return null;
    const span = last.t - first.t;
    if (span <= 0 || span < this.minSpanMs) return null;
    return ((last.bytes - first.bytes) * 1000) / span;
  }

  reset(): void {
    this.samples = [];
  }
}

export function progressFigures(
  bytesSent: number,
  totalBytes: number,
  bytesPerSecond: number | null,
): ProgressFigures {
  const sent = Math.max(0, Math.min(bytesSent, totalBytes));
  const percent = totalBytes > 0 ? Math.floor((sent / totalBytes) * 100) : 100;
  const remaining = totalBytes - sent;
  let secondsLeft: number | null = null;
  if (remaining === 0) secondsLeft = 0;
  else if (bytesPerSecond !== null && bytesPerSecond > 0) {
    secondsLeft = Math.ceil(remaining / bytesPerSecond);
  }
  return { bytesSent: sent, totalBytes, percent, bytesPerSecond, secondsLeft };
}

const UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

/** Decimal units (1 MB = 1,000,000 bytes), as browsers and OS file dialogs show sizes. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** e.g. "42 % · 12.3 MB of 29.1 MB · 4.2 MB/s · 7 s left" */
export function formatProgressLine(p: ProgressFigures): string {
  const parts = [`${p.percent} %`, `${formatBytes(p.bytesSent)} of ${formatBytes(p.totalBytes)}`];
  if (p.bytesPerSecond !== null) parts.push(`${formatBytes(p.bytesPerSecond)}/s`);
  if (p.secondsLeft !== null && p.bytesSent < p.totalBytes) {
    parts.push(`${formatDuration(p.secondsLeft)} left`);
  }
  return parts.join(" · ");
}

/** Delay before retry `attempt` (1 = first retry): base, 2x base, 4x base..., capped. */
export function backoffDelay(attempt: number, baseMs: number, maxMs = 30_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
