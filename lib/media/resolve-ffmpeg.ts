import "server-only";
import path from "node:path";
import { env } from "@/lib/env";

/** The executables lib/media runs; a bare name is looked up on PATH. */
export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
}

/**
 * FFMPEG_PATH / FFPROBE_PATH, else `ffmpeg` / `ffprobe` on PATH. With only FFMPEG_PATH set
 * to a full path, ffprobe is taken from the same folder, since the two ship together.
 */
export function resolveFfmpeg(): FfmpegTools {
  const { FFMPEG_PATH, FFPROBE_PATH } = env();
  const ffmpeg = FFMPEG_PATH ?? "ffmpeg";
  let ffprobe = FFPROBE_PATH ?? "ffprobe";
  if (!FFPROBE_PATH && FFMPEG_PATH && path.basename(FFMPEG_PATH) !== FFMPEG_PATH) {
    const base = path.basename(FFMPEG_PATH).replace(/ffmpeg/i, "ffprobe");
    ffprobe = path.join(path.dirname(FFMPEG_PATH), base);
  }
  return { ffmpeg, ffprobe };
}
