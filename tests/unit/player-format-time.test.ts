import { describe, expect, it } from "vitest";
import { formatTime, spokenTime } from "@/components/player/format-time";

describe("formatTime", () => {
  it.each([
    [0, "0:00"],
    [0.4, "0:00"],
    [1, "0:01"],
    [9.99, "0:09"],
    [59, "0:59"],
    [60, "1:00"],
    [83, "1:23"],
    [600, "10:00"],
    [3599, "59:59"],
    [3600, "1:00:00"],
    [3723, "1:02:03"],
    [36_000 + 61, "10:01:01"],
  ])("%s s -> %s", (seconds, expected) => {
    expect(formatTime(seconds)).toBe(expected);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -5])(
    "shows 0:00 for %s",
    (value) => {
      expect(formatTime(value)).toBe("0:00");
    },
  );
});

describe("spokenTime", () => {
  it.each([
    [0, "0 seconds"],
    [1, "1 second"],
    [61, "1 minute 1 second"],
    [83, "1 minute 23 seconds"],
    [3600, "1 hour"],
    [7322, "2 hours 2 minutes 2 seconds"],
    [Number.NaN, "0 seconds"],
  ])("%s s -> %s", (seconds, expected) => {
    expect(spokenTime(seconds)).toBe(expected);
  });
});
