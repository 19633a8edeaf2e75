/** A variant line of the master playlist. */
export interface MasterVariant {
  uri: string;
  bandwidth: number;
  averageBandwidth?: number;
  width: number;
  height: number;
  codecs: string;
}

/** `CODECS` per variant URI in an ffmpeg-written master playlist. */
export function parseMasterCodecs(master: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = master.split(/\r?\n/).map((l) => l.trim());
  lines.forEach((line, i) => {
    if (!line.startsWith("#EXT-X-STREAM-INF:")) return;
    const codecs = /CODECS="([^"]+)"/.exec(line)?.[1];
    const uri = lines.slice(i + 1).find((l) => l !== "" && !l.startsWith("#"));
    if (codecs && uri) out.set(uri, codecs);
  });
  return out;
}

/** Segments of a media playlist and whether it is complete. */
export interface MediaPlaylist {
  segments: { uri: string; duration: number }[];
  /** The init segment (`#EXT-X-MAP`) fMP4 fragments start from, if the playlist names one. */
  map?: string;
  ended: boolean;
  targetDuration: number;
}

export function parseMediaPlaylist(text: string): MediaPlaylist {
  const segments: MediaPlaylist["segments"] = [];
  let pending: number | undefined;
  let targetDuration = 0;
  let ended = false;
  let map: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("#EXTINF:")) pending = Number.parseFloat(line.slice(8));
    else if (line.startsWith("#EXT-X-MAP:")) map = /URI="([^"]+)"/.exec(line)?.[1] ?? map;
    else if (line.startsWith("#EXT-X-TARGETDURATION:")) targetDuration = Number(line.slice(22));
    else if (line === "#EXT-X-ENDLIST") ended = true;
    else if (line && !line.startsWith("#") && pending !== undefined) {
      segments.push({ uri: line, duration: pending });
      pending = undefined;
    }
  }
  return { segments, ended, targetDuration, ...(map ? { map } : {}) };
}

/**
 * The peak and average bit rate of a rendition from its segment sizes. Segments under a
 * second are left out of the peak: the last one is often a fraction of a second that
 * starts with a keyframe, and would announce a rate no stretch of playback needs.
 */
export function measureBitrates(segments: { duration: number; bytes: number }[]): {
  peak: number;
  average: number;
} {
  const total = segments.reduce((acc, s) => ({ d: acc.d + s.duration, b: acc.b + s.bytes }), {
    d: 0,
    b: 0,
  });
  const long = segments.filter((s) => s.duration >= 1);
  const peakOf = long.length > 0 ? long : segments;
  const peak = Math.max(
    0,
    ...peakOf.filter((s) => s.duration > 0).map((s) => (s.bytes * 8) / s.duration),
  );
  return { peak: Math.ceil(peak), average: total.d > 0 ? Math.ceil((total.b * 8) / total.d) : 0 };
}

/** Writes a master playlist, lowest rendition first (some players start on the first). */
export function buildMasterPlaylist(variants: MasterVariant[]): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-INDEPENDENT-SEGMENTS"];
  for (const v of [...variants].sort((a, b) => a.bandwidth - b.bandwidth)) {
    const attrs = [
      `BANDWIDTH=${v.bandwidth}`,
      ...(v.averageBandwidth ? [`AVERAGE-BANDWIDTH=${v.averageBandwidth}`] : []),
      `RESOLUTION=${v.width}x${v.height}`,
      `CODECS="${v.codecs}"`,
    ];
    lines.push(`#EXT-X-STREAM-INF:${attrs.join(",")}`, v.uri);
  }
  return `${lines.join("\n")}\n`;
}
