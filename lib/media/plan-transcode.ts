import path from "node:path";
import type { Rendition } from "@/lib/db/schema";
import { inputArgs } from "./input-args";
import type { ProbeResult } from "./parse-probe";
import { planLadder, type LadderRung } from "./plan-ladder";

/** One ffmpeg run for the whole ladder, and what it will produce. */
export interface TranscodePlan {
  /** The argv after the ffmpeg binary. */
  args: string[];
  ladder: LadderRung[];
  /** Planned renditions; `bandwidth` is the planned peak (maxrate + audio + container overhead). */
  renditions: Rendition[];
  segmentSeconds: number;
  masterPlaylist: "hls/master.m3u8";
}

export interface PlanOptions {
  /** HLS segment length, 4 to 6 s. Default 4. */
  segmentSeconds?: number;
  /** x264 preset. Default `veryfast`: about 2x real time for three rungs on two cores. */
  preset?: string;
  /** ffmpeg threads for the decoder, the filters and each encoder; unset = ffmpeg's choice. */
  threads?: number;
}

export const DEFAULT_SEGMENT_SECONDS = 4;
/**
 * Headroom on the announced peak for the container and the encoder overshooting maxrate
 * within a segment; ffmpeg's own master uses the same 10%. The measured peak replaces it
 * when higher (finish-playlists.ts).
 */
const CONTAINER_OVERHEAD = 1.1;
const MAX_FPS = 60;
const X264_PRESETS = new Set([
  "ultrafast",
  "superfast",
  "veryfast",
  "faster",
  "fast",
  "medium",
  "slow",
  "slower",
  "veryslow",
]);

/** The bandwidth a rung announces before it is measured. */
export function plannedBandwidth(rung: LadderRung): number {
  return Math.ceil((rung.maxrate + rung.audioBitrate) * CONTAINER_OVERHEAD);
}

/**
 * Plans the ONE ffmpeg pass that makes every rendition: the source is decoded once,
 * `split` feeds one scaler and one x264 encoder per rung, and the HLS muxer writes
 * `hls/<rung>/index.m3u8`, `init_<n>.mp4` and `seg_00000.m4s`… per rung and
 * `hls/master.m3u8`, all under `outDir`.
 *
 * Segments are fragmented MP4 (CMAF), not MPEG-TS: browsers' Media Source Extensions take
 * fMP4 as it is, so hls.js only passes the fragments through instead of transmuxing every
 * segment on the member's CPU, and the player ships without hls.js's MPEG-TS demuxer and
 * remuxer (scripts/hls-asset.mjs). Safari's native HLS plays fMP4 as well.
 *
 * Pure. `ffmpeg ...plan.args` run by hand IS the bare ladder encode, without the app's
 * probe, poster, progress and playlist rewrite; the benchmark compares `transcode()`
 * against exactly this.
 *
 * Keyframes are forced every `segmentSeconds` of source time with scene-cut keyframes off,
 * so every rung cuts its segments on the same frames and players can switch anywhere.
 * `outDir` must not contain `%` (the muxer's pattern character).
 */
export function planTranscode(
  input: string,
  outDir: string,
  probe: ProbeResult,
  options: PlanOptions = {},
): TranscodePlan {
  const segmentSeconds = options.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS;
  if (!Number.isInteger(segmentSeconds) || segmentSeconds < 4 || segmentSeconds > 6) {
    throw new RangeError("segmentSeconds must be 4, 5 or 6");
  }
  const preset = options.preset ?? "veryfast";
  if (!X264_PRESETS.has(preset)) throw new RangeError(`unknown x264 preset: ${preset}`);
  if (outDir.includes("%")) throw new RangeError("outDir must not contain %");

  // A thread cap for the decoder, the filter graph and each encoder (x264 alone would
  // start 1.5 threads per core for each rung).
  const threads = (flag: string) => (options.threads ? [flag, String(options.threads)] : []);
  const ladder = planLadder(probe);
  const hasAudio = probe.audio !== null;
  const sourceFps = probe.video.fps > 0 ? probe.video.fps : 30;
  const fps = Math.min(sourceFps, MAX_FPS);
  const gop = Math.max(1, Math.round(segmentSeconds * fps));

  const pre = ["format=yuv420p", ...(sourceFps > MAX_FPS ? [`fps=${MAX_FPS}`] : [])];
  const splitOut = ladder.map((_, i) => `[s${i}]`).join("");
  const scalers = ladder.map((r, i) => `[s${i}]scale=${r.width}:${r.height},setsar=1[v${i}]`);
  const filter = [
    `[0:${probe.video.index}]${pre.join(",")},split=${ladder.length}${splitOut}`,
    ...scalers,
  ].join(";");

  const maps = ladder.flatMap((_, i) => [
    "-map",
    `[v${i}]`,
    ...(probe.audio ? ["-map", `0:${probe.audio.index}`] : []),
  ]);
  const rates = ladder.flatMap((r, i) => [
    `-b:v:${i}`,
    String(r.videoBitrate),
    `-maxrate:v:${i}`,
    String(r.maxrate),
    `-bufsize:v:${i}`,
    String(r.bufsize),
  ]);
  const audio = hasAudio
    ? [
        "-c:a",
        "aac",
        "-ac",
        "2",
        ...ladder.flatMap((r, i) => [`-b:a:${i}`, String(r.audioBitrate)]),
      ]
    : [];
  const streamMap = ladder
    .map((r, i) => (hasAudio ? `v:${i},a:${i},name:${r.name}` : `v:${i},name:${r.name}`))
    .join(" ");

  const args = [
    "-hide_banner",
    "-nostdin",
    "-y",
    "-loglevel",
    "error",
    "-nostats",
    "-progress",
    "pipe:1",
    ...threads("-filter_complex_threads"),
    ...threads("-threads"),
    ...inputArgs(input),
    "-filter_complex",
    filter,
    ...maps,
    // Phone videos carry GPS position and device names in metadata; members get none of it.
    "-map_metadata",
    "-1",
    "-map_chapters",
    "-1",
    "-c:v",
    "libx264",
    "-preset",
    preset,
    "-profile:v",
    "high",
    "-g",
    String(gop),
    "-keyint_min",
    String(gop),
    "-sc_threshold",
    "0",
    "-force_key_frames",
    `expr:gte(t,n_forced*${segmentSeconds})`,
    ...rates,
    ...audio,
    "-max_muxing_queue_size",
    "1024",
    ...threads("-threads"),
    "-f",
    "hls",
    "-hls_time",
    String(segmentSeconds),
    "-hls_playlist_type",
    "vod",
    "-hls_list_size",
    "0",
    "-hls_flags",
    "independent_segments",
    "-hls_segment_type",
    "fmp4",
    // Written beside each rung's playlist; with more than one rung the muxer appends the
    // rung's index (init_0.mp4).
    "-hls_fmp4_init_filename",
    "init.mp4",
    "-hls_segment_filename",
    path.join(outDir, "hls", "%v", "seg_%05d.m4s"),
    "-master_pl_name",
    "master.m3u8",
    "-var_stream_map",
    streamMap,
    path.join(outDir, "hls", "%v", "index.m3u8"),
  ];

  return {
    args,
    ladder,
    renditions: ladder.map((r) => ({
      name: r.name,
      width: r.width,
      height: r.height,
      bandwidth: plannedBandwidth(r),
      playlist: `hls/${r.name}/index.m3u8`,
    })),
    segmentSeconds,
    masterPlaylist: "hls/master.m3u8",
  };
}

/** Largest poster short side; bigger only costs bytes on the catalogue page. */
const POSTER_MAX_SHORT = 720;

/** When the poster frame is taken: a third in (past fades from black), at most 10 s. */
export function posterTime(durationSeconds: number): number {
  return Math.round(Math.min(durationSeconds / 3, 10) * 1000) / 1000;
}

/**
 * The ffmpeg argv (after the binary) for the poster JPEG: one frame at `posterTime`, at
 * the size of the largest rung up to 720p. Pure.
 */
export function posterArgs(
  input: string,
  output: string,
  probe: ProbeResult,
  atSeconds = posterTime(probe.durationSeconds),
): string[] {
  const ladder = planLadder(probe);
  const fits = ladder.filter((r) => Math.min(r.width, r.height) <= POSTER_MAX_SHORT);
  const size = fits[fits.length - 1] ?? ladder[0];
  if (!size) throw new Error("planLadder returned no rung");
  return [
    "-hide_banner",
    "-nostdin",
    "-y",
    "-loglevel",
    "error",
    // Before -i: input seeking jumps to the nearest keyframe instead of decoding up to t.
    "-ss",
    String(atSeconds),
    ...inputArgs(input),
    "-map",
    `0:${probe.video.index}`,
    "-frames:v",
    "1",
    "-vf",
    `scale=${size.width}:${size.height},setsar=1`,
    "-map_metadata",
    "-1",
    "-c:v",
    "mjpeg",
    "-q:v",
    "3",
    "-f",
    "image2",
    "-update",
    "1",
    output,
  ];
}
