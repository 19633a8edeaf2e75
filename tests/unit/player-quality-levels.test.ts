import { describe, expect, it } from "vitest";
import {
  currentQualityLabel,
  levelLabel,
  playingLevelLabel,
  qualityOptions,
} from "@/components/player/quality-levels";

const ladder = [
  { height: 360, width: 640, bitrate: 800_000 },
  { height: 540, width: 960, bitrate: 2_000_000 },
  { height: 720, width: 1280, bitrate: 3_500_000 },
];

describe("levelLabel", () => {
  it.each([
    [{ height: 720 }, "720p"],
    [{ height: 1080, width: 1920 }, "1080p"],
    [{ height: 1280, width: 720 }, "1280p"],
    [{ height: 0, bitrate: 1_234_000 }, "1234 kbps"],
    [{ height: 0 }, "Unknown"],
  ])("%o -> %s", (level, expected) => {
    expect(levelLabel(level)).toBe(expected);
  });
});

describe("qualityOptions", () => {
  it("lists Auto first, then levels from the highest, keeping hls.js indexes", () => {
    expect(qualityOptions(ladder)).toEqual([
      { level: -1, label: "Auto" },
      { level: 2, label: "720p" },
      { level: 1, label: "540p" },
      { level: 0, label: "360p" },
    ]);
  });

  it("keeps an unsorted ladder's indexes", () => {
    const shuffled = [ladder[2]!, ladder[0]!, ladder[1]!];
    expect(qualityOptions(shuffled).map((o) => [o.level, o.label])).toEqual([
      [-1, "Auto"],
      [0, "720p"],
      [2, "540p"],
      [1, "360p"],
    ]);
  });

  it("keeps only the best bitrate of two levels with the same height", () => {
    const options = qualityOptions([
      { height: 720, bitrate: 2_500_000 },
      { height: 720, bitrate: 4_000_000 },
      { height: 360, bitrate: 700_000 },
    ]);
    expect(options).toEqual([
      { level: -1, label: "Auto" },
      { level: 1, label: "720p" },
      { level: 2, label: "360p" },
    ]);
  });

  it("offers only Auto without levels", () => {
    expect(qualityOptions([])).toEqual([{ level: -1, label: "Auto" }]);
  });
});

describe("currentQualityLabel", () => {
  it("shows the playing level inside Auto", () => {
    expect(currentQualityLabel(ladder, true, 1)).toBe("Auto (540p)");
    expect(currentQualityLabel(ladder, true, 2)).toBe("Auto (720p)");
  });

  it("shows plain Auto before a level plays", () => {
    expect(currentQualityLabel(ladder, true, -1)).toBe("Auto");
    expect(currentQualityLabel(ladder, true, 7)).toBe("Auto");
  });

  it("shows the picked level when Auto is off", () => {
    expect(currentQualityLabel(ladder, false, 0)).toBe("360p");
  });
});

describe("playingLevelLabel", () => {
  it("names the level on screen", () => {
    expect(playingLevelLabel(ladder, 0)).toBe("360p");
    expect(playingLevelLabel(ladder, 2)).toBe("720p");
  });

  it("is null before a level plays or for an unknown index", () => {
    expect(playingLevelLabel(ladder, -1)).toBeNull();
    expect(playingLevelLabel(ladder, 3)).toBeNull();
  });
});
