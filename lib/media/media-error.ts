/**
 * Why a media operation failed, in a form the worker can act on:
 * - `ffmpeg_missing`: ffmpeg/ffprobe cannot be started; retrying will not help until it is installed.
 * - `invalid_input`: the file is not a video we accept (empty, truncated, not media, no video stream).
 * - `failed`: ffmpeg ran and failed; may be worth a retry.
 * - `aborted`: the caller's AbortSignal fired.
 */
export type MediaErrorCode = "ffmpeg_missing" | "invalid_input" | "failed" | "aborted";

/**
 * The error every function in lib/media throws on purpose. `reason` is short and safe to
 * store on the job and show to an admin: it names no server paths.
 */
export class MediaError extends Error {
  override name = "MediaError";

  constructor(
    readonly code: MediaErrorCode,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}
