/**
 * The demuxers (ffmpeg's input formats) an upload may be read with, by their ffmpeg
 * names. ffprobe and ffmpeg are given this list as `-format_whitelist`, so a file is never
 * opened by any other demuxer whatever its content says; the probe's format check reads the
 * same list. Left out on purpose: every demuxer that opens other files or URLs named inside
 * the file (hls, dash, concat, image2 sequences, ...) and the virtual ones (lavfi, tty).
 */
export const ACCEPTED_DEMUXERS = [
  // mp4, mov, m4v, 3gp: one demuxer, reported as "mov,mp4,m4a,3gp,3g2,mj2".
  "mov",
  // mkv and webm, reported as "matroska,webm".
  "matroska",
  "avi",
  "mpegts",
  "mpeg",
  "flv",
  "ogg",
  "asf",
  "mxf",
  "dv",
  "h264",
  "hevc",
] as const;
