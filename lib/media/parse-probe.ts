import { ACCEPTED_DEMUXERS } from "./containers";
import { MediaError } from "./media-error";

/** What the pipeline needs to know about a source file. */
export interface ProbeResult {
  durationSeconds: number;
  sizeBytes: number;
  /**
   * The first real video stream. `width`/`height` are the DISPLAY size: rotation metadata
   * (phones) and non-square pixels are already applied, as ffmpeg applies them on decode.
   */
  video: {
    index: number;
    width: number;
    height: number;
    codec: string;
    fps: number;
    /** Rotation in degrees (0, 90, 180, 270) from the display matrix, when not 0. */
    rotation?: number;
  };
  /** The first audio stream, or null for a silent source. */
  audio: { index: number; codec: string; channels: number } | null;
  /** ffprobe's demuxer name, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  formatName: string;
}

interface FfprobeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_aspect_ratio?: string;
  channels?: number;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number | string }[];
}

interface FfprobeOutput {
  format?: { format_name?: string; duration?: string };
  streams?: FfprobeStream[];
}

// The same list the tools are held to (`-format_whitelist`); checked again here in case a
// tool run without it (an older ffprobe ignoring the option) reports another demuxer.
const ALLOWED_FORMATS = new Set<string>(ACCEPTED_DEMUXERS);

function ratio(value: string | undefined): number {
  const [n, d] = (value ?? "").split(/[/:]/).map(Number);
  if (n === undefined || d === undefined || !Number.isFinite(n) || !Number.isFinite(d) || d <= 0) {
    return 0;
  }
  return n / d;
}

function rotationOf(stream: FfprobeStream): number {
  const raw =
    stream.side_data_list?.find((s) => s.rotation !== undefined)?.rotation ?? stream.tags?.rotate;
  const deg = Math.round(Number(raw ?? 0) / 90) * 90;
  return Number.isFinite(deg) ? ((deg % 360) + 360) % 360 : 0;
}

/** Turns `ffprobe -print_format json -show_format -show_streams` output into a ProbeResult. */
export function parseProbe(json: string, sizeBytes: number): ProbeResult {
  let data: FfprobeOutput;
  try {
    data = JSON.parse(json) as FfprobeOutput;
  } catch (cause) {
    throw new MediaError("failed", "ffprobe returned output we could not read", { cause });
  }
  const formatName = data.format?.format_name ?? "";
  if (!formatName.split(",").some((f) => ALLOWED_FORMATS.has(f))) {
    throw new MediaError(
      "invalid_input",
      `The file format (${formatName || "unknown"}) is not a supported video container`,
    );
  }
  const streams = data.streams ?? [];
  // Cover art in an mp4/mkv/mp3 shows up as a one-frame "video" stream; it is not a video.
  const v = streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  if (!v) throw new MediaError("invalid_input", "The file has no video stream");
  const codedW = v.width ?? 0;
  const codedH = v.height ?? 0;
  if (codedW <= 0 || codedH <= 0) {
    throw new MediaError("invalid_input", "The video stream has no picture size");
  }
  const durationSeconds = Number(data.format?.duration ?? v.duration ?? NaN);
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
    throw new MediaError(
      "invalid_input",
      "The file has no playable duration (is it a still image?)",
    );
  }

  const sar = ratio(v.sample_aspect_ratio);
  const squareW = sar > 0 && Math.abs(sar - 1) > 0.001 ? Math.round(codedW * sar) : codedW;
  const rotation = rotationOf(v);
  const sideways = rotation === 90 || rotation === 270;
  const fps = ratio(v.avg_frame_rate) || ratio(v.r_frame_rate);
  const a = streams.find((s) => s.codec_type === "audio");

  return {
    durationSeconds,
    sizeBytes,
    video: {
      index: v.index ?? 0,
      width: sideways ? codedH : squareW,
      height: sideways ? squareW : codedH,
      codec: v.codec_name ?? "unknown",
      fps: Math.round(fps * 1000) / 1000,
      ...(rotation ? { rotation } : {}),
    },
    audio: a
      ? { index: a.index ?? 0, codec: a.codec_name ?? "unknown", channels: a.channels ?? 0 }
      : null,
    formatName,
  };
}
