import "server-only";
import { MediaError } from "./media-error";
import { resolveFfmpeg, type FfmpegTools } from "./resolve-ffmpeg";
import { runTool } from "./run-tool";

/** What /api/health reports about the transcoder. */
export interface FfmpegStatus {
  ok: boolean;
  /** e.g. `ffmpeg version 5.1.9-0+deb12u1`. */
  ffmpeg?: string;
  /** Why transcoding cannot work, safe to show. */
  error?: string;
}

const TTL_MS = 60_000;
const CHECK_TIMEOUT_MS = 10_000;
const REQUIRED_ENCODERS = ["libx264", "aac", "mjpeg"];

let cached: { key: string; at: number; value: Promise<FfmpegStatus> } | undefined;

async function check(tools: FfmpegTools): Promise<FfmpegStatus> {
  try {
    const opts = { timeoutMs: CHECK_TIMEOUT_MS };
    const [version, encoders, probe] = await Promise.all([
      runTool(tools.ffmpeg, ["-hide_banner", "-version"], opts),
      runTool(tools.ffmpeg, ["-hide_banner", "-encoders"], opts),
      runTool(tools.ffprobe, ["-hide_banner", "-version"], opts),
    ]);
    if (version.exitCode !== 0) return { ok: false, error: "ffmpeg -version failed" };
    if (probe.exitCode !== 0) return { ok: false, error: "ffprobe -version failed" };
    const ffmpeg = (version.stdout.split("\n")[0] ?? "").replace(/\s+Copyright.*$/, "").trim();
    // Some distribution builds leave out libx264 for licensing reasons.
    const missing = REQUIRED_ENCODERS.filter(
      (name) => !new RegExp(`^\\s*\\S+\\s+${name}\\s`, "m").test(encoders.stdout),
    );
    if (missing.length > 0) {
      return { ok: false, ffmpeg, error: `ffmpeg lacks the ${missing.join(", ")} encoder(s)` };
    }
    return { ok: true, ffmpeg };
  } catch (err) {
    return { ok: false, error: err instanceof MediaError ? err.reason : "ffmpeg check failed" };
  }
}

/**
 * Whether ffmpeg and ffprobe can run and have the encoders the ladder needs. Cached for a
 * minute, so health checks do not fork three processes each, yet installing ffmpeg on a
 * running server shows up without a restart. Never throws.
 */
export function ffmpegStatus(tools: FfmpegTools = resolveFfmpeg()): Promise<FfmpegStatus> {
  const key = `${tools.ffmpeg}\0${tools.ffprobe}`;
  if (!cached || cached.key !== key || Date.now() - cached.at > TTL_MS) {
    cached = { key, at: Date.now(), value: check(tools) };
  }
  return cached.value;
}
