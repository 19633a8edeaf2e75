/** The parts of an hls.js `Level` the quality menu needs. */
export interface LevelInfo {
  height: number;
  width?: number;
  bitrate?: number;
}

/** One entry of the quality menu; `level` is the hls.js level index, -1 for Auto. */
export interface QualityOption {
  level: number;
  label: string;
}

/** `720` -> `720p`; a level without a known height is named by its bitrate. */
export function levelLabel(level: LevelInfo): string {
  if (level.height > 0) return `${level.height}p`;
  if (level.bitrate && level.bitrate > 0) return `${Math.round(level.bitrate / 1000)} kbps`;
  return "Unknown";
}

/**
 * Menu entries: Auto, then the levels from the highest down. Levels that would show the
 * same label (same height at two bitrates) keep only the best one: two identical
 * "720p" entries would be a choice the member cannot make.
 */
export function qualityOptions(levels: readonly LevelInfo[]): QualityOption[] {
  const best = new Map<string, { index: number; level: LevelInfo }>();
  levels.forEach((level, index) => {
    const label = levelLabel(level);
    const seen = best.get(label);
    if (!seen || (level.bitrate ?? 0) > (seen.level.bitrate ?? 0))
      best.set(label, { index, level });
  });
  const sorted = [...best.values()].sort(
    (a, b) => b.level.height - a.level.height || (b.level.bitrate ?? 0) - (a.level.bitrate ?? 0),
  );
  return [
    { level: -1, label: "Auto" },
    ...sorted.map(({ index, level }) => ({ level: index, label: levelLabel(level) })),
  ];
}

/** Label of the level on screen, or null before one plays. */
export function playingLevelLabel(
  levels: readonly LevelInfo[],
  playingLevel: number,
): string | null {
  const playing = playingLevel >= 0 ? levels[playingLevel] : undefined;
  return playing ? levelLabel(playing) : null;
}

/**
 * Text of the quality button and of the checked Auto entry: `Auto (540p)` while
 * automatic selection plays the 540p level, `720p` when the member picked one.
 */
export function currentQualityLabel(
  levels: readonly LevelInfo[],
  autoEnabled: boolean,
  playingLevel: number,
): string {
  const playing = playingLevelLabel(levels, playingLevel);
  if (!autoEnabled) return playing ?? "Auto";
  return playing ? `Auto (${playing})` : "Auto";
}
