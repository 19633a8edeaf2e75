import "server-only";
import { open, stat } from "node:fs/promises";
import { MediaError } from "./media-error";
import { parseProbe, type ProbeResult } from "./parse-probe";
import { resolveFfmpeg, type FfmpegTools } from "./resolve-ffmpeg";
import { runTool } from "./run-tool";
import { inputArgs, isRemote } from "./input-args";

const PROBE_TIMEOUT_MS = 60_000;

async function looksLikeIsoMedia(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8), 0, 8, 0);
    return bytesRead === 8 && buffer.toString("latin1", 4, 8) === "ftyp";
  } finally {
    await handle.close();
  }
}

/**
 * Reads a source file's streams with ffprobe. Throws MediaError `invalid_input` with a
 * reason fit for the admin (missing, empty, truncated, not media, no video stream),
 * `ffmpeg_missing` when ffprobe cannot run.
 */
export async function probe(
  file: string,
  opts: { tools?: FfmpegTools; signal?: AbortSignal; sizeBytes?: number } = {},
): Promise<ProbeResult> {
  if (isRemote(file)) return probeRemote(file, opts.sizeBytes ?? 0, opts);
  const { ffprobe } = opts.tools ?? resolveFfmpeg();
  let sizeBytes: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new MediaError("invalid_input", "The upload is not a file");
    sizeBytes = info.size;
  } catch (cause) {
    if (cause instanceof MediaError) throw cause;
    throw new MediaError("invalid_input", "The uploaded file is missing", { cause });
  }
  if (sizeBytes === 0) throw new MediaError("invalid_input", "The file is empty (0 bytes)");

  const args = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams"];
  const result = await runTool(ffprobe, [...args, ...inputArgs(file)], {
    signal: opts.signal,
    timeoutMs: PROBE_TIMEOUT_MS,
    redact: [file],
  });
  if (result.exitCode !== 0) {
    if (/moov atom not found/i.test(result.stderrTail) && (await looksLikeIsoMedia(file))) {
      throw new MediaError(
        "invalid_input",
        "The file is incomplete: its index (moov atom) is missing, so it was probably cut off during upload",
      );
    }
    // "not on whitelist": the content asked for a demuxer that is not accepted (a playlist
    // or a script in disguise); the admin is told no more than for any other non-video.
    if (/Invalid data found|not on whitelist/i.test(result.stderrTail)) {
      throw new MediaError("invalid_input", "The file is not a video file we can read");
    }
    throw new MediaError(
      "invalid_input",
      `The file could not be read as media${result.stderrTail ? `: ${result.stderrTail}` : ""}`,
    );
  }
  return parseProbe(result.stdout, sizeBytes);
}

async function probeRemote(
  url: string,
  sizeBytes: number,
  opts: { tools?: FfmpegTools; signal?: AbortSignal },
): Promise<ProbeResult> {
  const { ffprobe } = opts.tools ?? resolveFfmpeg();
  const args = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams"];
  const result = await runTool(ffprobe, [...args, ...inputArgs(url)], {
    signal: opts.signal,
    timeoutMs: PROBE_TIMEOUT_MS,
    // The query string is a credential; never let it reach an error message.
    redact: [url, url.split("?")[0]!],
  });
  if (result.exitCode !== 0) {
    throw new MediaError("invalid_input", "The file is not a video file we can read");
  }
  return parseProbe(result.stdout, sizeBytes);
}
