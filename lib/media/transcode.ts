import "server-only";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Rendition } from "@/lib/db/schema";
import { MediaError } from "./media-error";
import type { ProbeResult } from "./parse-probe";
import { planTranscode, posterArgs, type PlanOptions } from "./plan-transcode";
import { fileSize, finishPlaylists } from "./finish-playlists";
import { probe as probeFile } from "./probe";
import { progressParser } from "./progress";
import { resolveFfmpeg, type FfmpegTools } from "./resolve-ffmpeg";
import { runTool } from "./run-tool";
import { checkLimits, mediaLimits, transcodeTimeoutMs, type MediaLimits } from "./limits";

export interface TranscodeOptions extends PlanOptions {
  /** The source file on local disk. */
  input: string;
  /**
   * The folder that receives `hls/master.m3u8`, `hls/<rung>/index.m3u8` + segments and
   * `poster.jpg`; its parent must be writable (the work folder is made next to it).
   */
  outDir: string;
  /** Whole percents, increasing, ending with 100 when every file is in place. */
  onProgress?: (percent: number) => void;
  /** Kills ffmpeg and removes everything written so far. */
  signal?: AbortSignal;
  tools?: FfmpegTools;
  /** A probe done earlier, to skip the second ffprobe. */
  probe?: ProbeResult;
  /** Overrides of the configured limits (tests). */
  limits?: Partial<MediaLimits>;
}

export interface TranscodeResult {
  probe: ProbeResult;
  /** Bandwidth is the larger of the planned peak and the peak measured on the segments. */
  renditions: Rendition[];
  masterPlaylist: "hls/master.m3u8";
  poster: "poster.jpg";
}

const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;

async function makePoster(
  tools: FfmpegTools,
  input: string,
  work: string,
  info: ProbeResult,
  limits: MediaLimits,
  signal?: AbortSignal,
) {
  const output = path.join(work, "poster.jpg");
  // A container can announce more duration than its video has (trailing audio); if the
  // seek lands past the last frame ffmpeg writes nothing, so fall back to the first frame.
  for (const at of [undefined, 0]) {
    const run = await runTool(tools.ffmpeg, posterArgs(input, output, info, at), {
      signal,
      timeoutMs: 120_000,
      maxMemoryBytes: limits.maxMemoryBytes,
      redact: [input, work],
    });
    if (run.exitCode !== 0) {
      throw new MediaError(
        "failed",
        `Making the poster failed${run.stderrTail ? `: ${run.stderrTail}` : ""}`,
      );
    }
    if ((await fileSize(output)) > 0) return;
  }
  throw new MediaError("failed", "Making the poster failed: no frame could be decoded");
}

/**
 * Probe, one-pass ladder encode, poster, playlists: the whole job for one upload. Works in
 * a temporary folder next to `outDir` and moves the result in only when everything
 * succeeded; the temporary folder is removed on success, failure and abort alike.
 *
 * Throws MediaError: `invalid_input` (not a usable video, including a file that ends
 * early), `ffmpeg_missing`, `failed`, `aborted`.
 */
export async function transcode(opts: TranscodeOptions): Promise<TranscodeResult> {
  const { onProgress, signal } = opts;
  const tools = opts.tools ?? resolveFfmpeg();
  const input = path.resolve(opts.input);
  const outDir = path.resolve(opts.outDir);
  const info = opts.probe ?? (await probeFile(input, { tools, signal }));
  const limits = { ...mediaLimits(), ...opts.limits };
  // Checked at completion too; again here for a video queued before a limit was lowered.
  checkLimits(info, limits);

  await mkdir(path.dirname(outDir), { recursive: true });
  const work = await mkdtemp(path.join(path.dirname(outDir), `.${path.basename(outDir)}.tmp-`));
  try {
    const plan = planTranscode(input, work, info, { threads: limits.threads, ...opts });
    const progress = progressParser(info.durationSeconds, (p) => onProgress?.(p));
    const timeoutMs = transcodeTimeoutMs(info.durationSeconds, limits);
    const run = await runTool(tools.ffmpeg, plan.args, {
      signal,
      // A source far costlier to decode than its probe said (or lying about its length)
      // would hold the worker for hours: killed, and not tried again.
      timeoutMs,
      timeoutError: new MediaError(
        "invalid_input",
        `Transcoding took more than ${Math.round(timeoutMs / 60_000)} minutes for ${clock(info.durationSeconds)} of video, so it was stopped: the file is far costlier to decode than its length suggests`,
      ),
      maxMemoryBytes: limits.maxMemoryBytes,
      onStdout: (text) => progress.push(text),
      redact: [input, work],
    });
    if (run.exitCode !== 0) {
      throw new MediaError("failed", `ffmpeg failed${run.stderrTail ? `: ${run.stderrTail}` : ""}`);
    }
    // ffmpeg exits 0 on a file cut off mid-stream ("partial file"); compare what it
    // decoded with what the container promised.
    const decoded = progress.lastSeconds();
    if (decoded < info.durationSeconds * 0.9 - 0.5) {
      throw new MediaError(
        "invalid_input",
        `The file ends early: only ${clock(decoded)} of ${clock(info.durationSeconds)} could be decoded, so it is probably truncated or damaged`,
      );
    }
    await makePoster(tools, input, work, info, limits, signal);
    const renditions = await finishPlaylists(work, plan, info.audio !== null);

    signal?.throwIfAborted();
    await mkdir(outDir, { recursive: true });
    for (const entry of ["hls", "poster.jpg"]) {
      // turbopackIgnore: run-time folders, not files the server image should carry.
      await rm(path.join(/*turbopackIgnore: true*/ outDir, entry), {
        recursive: true,
        force: true,
      });
      await rename(
        path.join(/*turbopackIgnore: true*/ work, entry),
        path.join(/*turbopackIgnore: true*/ outDir, entry),
      );
    }
    onProgress?.(100);
    return { probe: info, renditions, masterPlaylist: plan.masterPlaylist, poster: "poster.jpg" };
  } catch (err) {
    if (signal?.aborted && !(err instanceof MediaError && err.code === "aborted")) {
      throw new MediaError("aborted", "The transcode was cancelled", { cause: signal.reason });
    }
    const errno = (err as NodeJS.ErrnoException | undefined)?.code;
    if (err instanceof MediaError || typeof errno !== "string") throw err;
    // File system trouble (disk full, permissions): the cause stays for the log, the job
    // gets a reason without server paths.
    throw new MediaError("failed", `Transcoding failed writing its output (${errno})`, {
      cause: err,
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
