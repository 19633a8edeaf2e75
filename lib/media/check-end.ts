import "server-only";
import { MediaError } from "./media-error";
import type { ProbeResult } from "./parse-probe";
import { inputArgs } from "./input-args";
import { mediaLimits } from "./limits";
import { resolveFfmpeg, type FfmpegTools } from "./resolve-ffmpeg";
import { runTool } from "./run-tool";

/**
 * Decodes one video frame near the end of the file. An MP4 whose index sits at the
 * front still probes fine when the upload was cut off, and ffmpeg would only find
 * out minutes into the transcode; this finds out in a fraction of a second, before
 * the upload is accepted.
 */
export async function checkEnd(
  source: string,
  info: ProbeResult,
  opts: { tools?: FfmpegTools; signal?: AbortSignal } = {},
): Promise<void> {
  const { ffmpeg } = opts.tools ?? resolveFfmpeg();
  // Half a second from the end: late enough that a file missing only its last
  // segment fails, early enough for a video track a little shorter than the audio.
  const at = Math.max(0, info.durationSeconds - 0.5);
  const result = await runTool(
    ffmpeg,
    [
      "-v",
      "error",
      "-nostdin",
      "-ss",
      at.toFixed(3),
      ...inputArgs(source),
      "-map",
      "0:v:0",
      "-frames:v",
      "1",
      "-progress",
      "pipe:1",
      "-nostats",
      "-f",
      "null",
      "-",
    ],
    {
      signal: opts.signal,
      timeoutMs: 60_000,
      maxMemoryBytes: mediaLimits().maxMemoryBytes,
      redact: [source],
    },
  );
  const frames = [...result.stdout.matchAll(/^frame=(\d+)$/gm)].map((m) => Number(m[1]));
  if (result.exitCode !== 0 || (frames.at(-1) ?? 0) === 0) {
    throw new MediaError(
      "invalid_input",
      "The file ends early: its last seconds cannot be decoded, so it is probably truncated or damaged",
    );
  }
}
