/** Below this, resuming is not worth a question. */
export const MIN_RESUME_SECONDS = 5;
/** Within this of the end, the member finished the video: start over silently. */
export const END_MARGIN_SECONDS = 10;

export interface ResumeLimits {
  minSeconds: number;
  endMarginSeconds: number;
}

export const RESUME_LIMITS: ResumeLimits = {
  minSeconds: MIN_RESUME_SECONDS,
  endMarginSeconds: END_MARGIN_SECONDS,
};

/**
 * The position to offer 'Resume from m:ss' at, or null to start from the beginning.
 * With an unknown duration only the lower bound applies.
 */
export function resumePosition(
  savedSeconds: number | null | undefined,
  durationSeconds: number | null | undefined,
): number | null {
  return resumeWithin(savedSeconds, durationSeconds, RESUME_LIMITS);
}

/**
 * {@link resumePosition} with its limits passed in. Self-contained: the watch page's inline
 * script embeds it as text (early-player.ts).
 */
export function resumeWithin(
  savedSeconds: number | null | undefined,
  durationSeconds: number | null | undefined,
  limits: ResumeLimits,
): number | null {
  if (savedSeconds == null || !Number.isFinite(savedSeconds)) return null;
  if (savedSeconds <= limits.minSeconds) return null;
  if (durationSeconds != null && Number.isFinite(durationSeconds) && durationSeconds > 0) {
    if (savedSeconds >= durationSeconds - limits.endMarginSeconds) return null;
  }
  return savedSeconds;
}
