import "server-only";
import { availableParallelism } from "node:os";
import { env } from "@/lib/env";
import { MediaError } from "./media-error";
import type { ProbeResult } from "./parse-probe";

/** What a source may be, and what one ffmpeg run may cost (UPLOAD_MAX_*, TRANSCODE_*). */
export interface MediaLimits {
  /** Largest width or height, in display pixels. */
  maxSide: number;
  maxFps: number;
  maxDurationSeconds: number;
  /** Threads for ffmpeg's decoder, filters and each encoder. */
  threads: number;
  /** ffmpeg's data segment limit (RLIMIT_DATA), in bytes. */
  maxMemoryBytes: number;
  /** Wall-clock seconds a transcode may take per second of video. */
  timeoutFactor: number;
  /** The least time a transcode gets: start-up, the poster, a busy machine. */
  timeoutFloorSeconds: number;
}

export function mediaLimits(): MediaLimits {
  const config = env();
  return {
    maxSide: config.UPLOAD_MAX_SIDE,
    maxFps: config.UPLOAD_MAX_FPS,
    maxDurationSeconds: config.UPLOAD_MAX_DURATION_SECONDS,
    threads: config.TRANSCODE_THREADS || availableParallelism(),
    maxMemoryBytes: config.TRANSCODE_MAX_MEMORY_MB * 1024 * 1024,
    timeoutFactor: config.TRANSCODE_TIMEOUT_FACTOR,
    timeoutFloorSeconds: 300,
  };
}

/** How long the ladder encode of `durationSeconds` of video may run. */
export function transcodeTimeoutMs(durationSeconds: number, limits = mediaLimits()): number {
  const seconds = Math.max(limits.timeoutFloorSeconds, durationSeconds * limits.timeoutFactor);
  return Math.ceil(seconds * 1000);
}

const clock = (total: number) => {
  const s = Math.round(total);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
};

/**
 * Refuses a source over the limits, before it costs a transcode: decoding time and memory
 * grow with the picture size and the frame rate, and the only worker is held for as long
 * as the video lasts (a 400 KB file of 8192x8192 frames took 47 s and 1 GB per 10 s).
 * Throws MediaError `invalid_input`, whose reason names the limit and its variable.
 */
export function checkLimits(info: ProbeResult, limits = mediaLimits()): void {
  const { width, height, fps } = info.video;
  if (Math.max(width, height) > limits.maxSide) {
    throw new MediaError(
      "invalid_input",
      `The video is ${width}x${height}; the largest accepted is ${limits.maxSide} pixels a side (UPLOAD_MAX_SIDE).`,
    );
  }
  if (fps > limits.maxFps) {
    throw new MediaError(
      "invalid_input",
      `The video has ${fps} frames a second; at most ${limits.maxFps} are accepted (UPLOAD_MAX_FPS).`,
    );
  }
  if (info.durationSeconds > limits.maxDurationSeconds) {
    throw new MediaError(
      "invalid_input",
      `The video is ${clock(info.durationSeconds)} long; the longest accepted is ${clock(limits.maxDurationSeconds)} (UPLOAD_MAX_DURATION_SECONDS).`,
    );
  }
}
