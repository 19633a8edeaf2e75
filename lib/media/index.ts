import "server-only";

export { MediaError, type MediaErrorCode } from "./media-error";
export { resolveFfmpeg, type FfmpegTools } from "./resolve-ffmpeg";
export { ffmpegStatus, type FfmpegStatus } from "./ffmpeg-status";
export { probe } from "./probe";
export { checkEnd } from "./check-end";
export { checkLimits, mediaLimits, transcodeTimeoutMs, type MediaLimits } from "./limits";
export { parseProbe, type ProbeResult } from "./parse-probe";
export { planLadder, type LadderRung } from "./plan-ladder";
export {
  planTranscode,
  posterArgs,
  posterTime,
  DEFAULT_SEGMENT_SECONDS,
  type PlanOptions,
  type TranscodePlan,
} from "./plan-transcode";
export { bareLadderCommand } from "./bare-ladder-command";
export { transcode, type TranscodeOptions, type TranscodeResult } from "./transcode";
