import { execFileSync } from "node:child_process";

/**
 * Writes a synthetic H.264/AAC MP4 with ffmpeg's lavfi sources (a moving test
 * pattern and a tone). Shared by the unit tests, the e2e tests and the bench, so
 * every suite transcodes the same kind of source.
 */
export function makeTestVideo(
  file: string,
  { seconds, size, faststart = false }: { seconds: number; size: string; faststart?: boolean },
): string {
  execFileSync("ffmpeg", [
    ...["-v", "error", "-y"],
    ...["-f", "lavfi", "-i", `testsrc2=size=${size}:rate=30`],
    ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"],
    ...["-t", String(seconds)],
    ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
    ...["-c:a", "aac", "-shortest"],
    ...(faststart ? ["-movflags", "+faststart"] : []),
    file,
  ]);
  return file;
}
