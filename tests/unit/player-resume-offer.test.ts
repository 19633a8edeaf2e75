import { describe, expect, it } from "vitest";
import { resumePosition } from "@/components/player/resume-offer";

describe("resumePosition", () => {
  it.each([
    [null, 600, null],
    [undefined, 600, null],
    [0, 600, null],
    [5, 600, null],
    [5.1, 600, 5.1],
    [83, 600, 83],
    [589.9, 600, 589.9],
    [590, 600, null],
    [600, 600, null],
    [700, 600, null],
    [83, null, 83],
    [83, 0, 83],
    [Number.NaN, 600, null],
    [12, 20, null],
  ])("saved %s of %s s -> %s", (saved, duration, expected) => {
    expect(resumePosition(saved, duration)).toBe(expected);
  });
});
