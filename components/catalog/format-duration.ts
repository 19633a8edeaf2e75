/**
 * A duration as a player shows it: `m:ss` under an hour, `h:mm:ss` from an hour.
 * Fractions are dropped (a 59.9 s clip reads 0:59), negatives and non-finite
 * values read 0:00.
 */
export function formatDuration(totalSeconds: number): string {
  const seconds = Number.isFinite(totalSeconds) ? Math.max(0, Math.floor(totalSeconds)) : 0;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** A duration for screen readers: "1 hour 2 minutes", "45 seconds". */
export function describeDuration(totalSeconds: number): string {
  const seconds = Number.isFinite(totalSeconds) ? Math.max(0, Math.floor(totalSeconds)) : 0;
  const parts: [number, string][] = [
    [Math.floor(seconds / 3600), "hour"],
    [Math.floor((seconds % 3600) / 60), "minute"],
  ];
  if (seconds < 3600) parts.push([seconds % 60, "second"]);
  const words = parts
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}${n === 1 ? "" : "s"}`);
  return words.length ? words.join(" ") : "0 seconds";
}

/** Share of a video watched, 0 to 100, for progress bars. */
export function watchedPercent(positionSeconds: number, durationSeconds: number | null): number {
  if (!durationSeconds || durationSeconds <= 0 || !Number.isFinite(positionSeconds)) return 0;
  return Math.min(100, Math.max(0, Math.round((positionSeconds / durationSeconds) * 100)));
}
