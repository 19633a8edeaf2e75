/** Below this, resuming is not worth a question. */
export const MIN_RESUME_SECONDS = 5;
/** Within this of the end, the member finished the video: start over silently. */
export const END_MARGIN_SECONDS = 10;

/**
 * The position to offer 'Resume from m:ss' at, or null to start from the beginning.
 * With an unknown duration only the lower bound applies.
 */
export function resumePosition(
  savedSeconds: number | null | undefined,
  durationSeconds: number | null | undefined,
): number | null {
  if (savedSeconds == null || !Number.isFinite(savedSeconds)) return null;
  if (savedSeconds <= MIN_RESUME_SECONDS) return null;
  if (durationSeconds != null && Number.isFinite(durationSeconds) && durationSeconds > 0) {
    if (savedSeconds >= durationSeconds - END_MARGIN_SECONDS) return null;
  }
  return savedSeconds;
}
