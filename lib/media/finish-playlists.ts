import "server-only";
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Rendition } from "@/lib/db/schema";
import { MediaError } from "./media-error";
import type { TranscodePlan } from "./plan-transcode";
import {
  buildMasterPlaylist,
  measureBitrates,
  parseMasterCodecs,
  parseMediaPlaylist,
  type MasterVariant,
} from "./playlists";

/** AVC High 4.0 + AAC-LC; only used if ffmpeg did not name the codecs itself. */
const FALLBACK_VIDEO_CODEC = "avc1.640028";
const AAC_LC = "mp4a.40.2";

/** Size in bytes, 0 when the file is missing. */
export async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/**
 * Rewrites ffmpeg's master playlist: ffmpeg announces BANDWIDTH from the average bitrate
 * setting, while HLS wants the peak. Keeps ffmpeg's CODECS, which it reads from the
 * encoder's SPS (profile and level).
 */
export async function finishPlaylists(
  work: string,
  plan: TranscodePlan,
  hasAudio: boolean,
): Promise<Rendition[]> {
  const hlsDir = path.join(work, "hls");
  const written = await readFile(path.join(hlsDir, "master.m3u8"), "utf8").catch(() => "");
  const codecs = parseMasterCodecs(written);
  const variants: MasterVariant[] = [];
  const renditions: Rendition[] = [];
  for (const planned of plan.renditions) {
    const uri = `${planned.name}/index.m3u8`;
    const dir = path.join(hlsDir, planned.name);
    const media = parseMediaPlaylist(await readFile(path.join(dir, "index.m3u8"), "utf8"));
    if (!media.ended || media.segments.length === 0) {
      throw new MediaError("failed", `The ${planned.name} playlist is incomplete`);
    }
    const sized = await Promise.all(
      media.segments.map(async (s) => ({
        duration: s.duration,
        bytes: await fileSize(path.join(dir, s.uri)),
      })),
    );
    const initMissing =
      media.map !== undefined && (await fileSize(path.join(dir, media.map))) === 0;
    if (initMissing || sized.some((s) => s.bytes === 0)) {
      throw new MediaError("failed", `The ${planned.name} rendition is missing segments`);
    }
    const measured = measureBitrates(sized);
    const bandwidth = Math.max(planned.bandwidth, measured.peak);
    variants.push({
      uri,
      bandwidth,
      averageBandwidth: measured.average,
      width: planned.width,
      height: planned.height,
      codecs:
        codecs.get(uri) ?? (hasAudio ? `${FALLBACK_VIDEO_CODEC},${AAC_LC}` : FALLBACK_VIDEO_CODEC),
    });
    renditions.push({ ...planned, bandwidth });
  }
  await writeFile(path.join(hlsDir, "master.m3u8"), buildMasterPlaylist(variants));
  return renditions;
}
