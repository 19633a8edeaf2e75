import type { ProbeResult } from "./parse-probe";

/** One rendition of the HLS ladder. Bitrates in bits per second. */
export interface LadderRung {
  /** Named after the short side, e.g. `360p` (so a portrait 360x640 rung is also `360p`). */
  name: string;
  width: number;
  height: number;
  videoBitrate: number;
  maxrate: number;
  bufsize: number;
  /** 0 when the source has no audio. */
  audioBitrate: number;
}

/** Short side to target video bitrate at up to 30 fps (Apple's HLS authoring table, rounded). */
const TABLE: readonly (readonly [shortSide: number, bitrate: number])[] = [
  [360, 800_000],
  [540, 2_000_000],
  [720, 3_000_000],
  [1080, 5_000_000],
];

/** A source this much bigger than the highest table rung it reaches also gets its own size. */
const NATIVE_RUNG_FACTOR = 1.15;
const HIGH_FPS_FACTOR = 1.5;

const evenFloor = (n: number) => Math.max(2, 2 * Math.floor(n / 2 + 1e-9));
const round1k = (n: number) => Math.round(n / 1000) * 1000;

function bitrateFor(shortSide: number): number {
  const [first] = TABLE;
  if (!first) throw new Error("empty ladder table");
  if (shortSide <= first[0]) return Math.max(200_000, first[1] * (shortSide / first[0]) ** 2);
  for (let i = 1; i < TABLE.length; i++) {
    const lo = TABLE[i - 1];
    const hi = TABLE[i];
    if (lo && hi && shortSide <= hi[0]) {
      return lo[1] + ((hi[1] - lo[1]) * (shortSide - lo[0])) / (hi[0] - lo[0]);
    }
  }
  return TABLE[TABLE.length - 1]?.[1] ?? first[1];
}

function rung(
  shortSide: number,
  longSide: number,
  portrait: boolean,
  fps: number,
  hasAudio: boolean,
): LadderRung {
  const videoBitrate = round1k(bitrateFor(shortSide) * (fps > 31 ? HIGH_FPS_FACTOR : 1));
  return {
    name: `${shortSide}p`,
    width: portrait ? shortSide : longSide,
    height: portrait ? longSide : shortSide,
    videoBitrate,
    // HLS wants the peak within 10% of BANDWIDTH; VBV over about two seconds holds it there.
    maxrate: round1k(videoBitrate * 1.1),
    bufsize: round1k(videoBitrate * 2),
    audioBitrate: hasAudio ? (shortSide <= 360 ? 96_000 : 128_000) : 0,
  };
}

/**
 * Plans the ladder for a source: the 360p/540p/720p/1080p rungs that fit inside it, plus
 * a rung at the source's own size when it sits well between two rungs (or below 360p).
 * Never upscales, always returns at least one rung, all sizes even (x264 needs 4:2:0).
 *
 * Portrait sources are planned by the SHORT side, like landscape ones: a 1080x1920 phone
 * video gets 360x640 ... 1080x1920, named 360p ... 1080p. Planning portrait by height
 * would give a 360-high rung only 202 pixels wide, which nobody can watch.
 */
export function planLadder(probe: ProbeResult): LadderRung[] {
  const { width, height, fps } = probe.video;
  const hasAudio = probe.audio !== null;
  const portrait = height > width;
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  const scaledLong = (s: number) => Math.min(evenFloor(long), evenFloor((long * s) / short));

  const fitting = TABLE.filter(([s]) => s <= short).map(([s]) => s);
  const rungs = fitting.map((s) => rung(s, scaledLong(s), portrait, fps, hasAudio));
  const topShort = fitting[fitting.length - 1];
  const nativeShort = evenFloor(short);
  const maxShort = TABLE[TABLE.length - 1]?.[0] ?? 1080;
  if (
    topShort === undefined ||
    (nativeShort < maxShort && nativeShort > topShort * NATIVE_RUNG_FACTOR)
  ) {
    rungs.push(rung(nativeShort, evenFloor(long), portrait, fps, hasAudio));
  }
  return rungs;
}
