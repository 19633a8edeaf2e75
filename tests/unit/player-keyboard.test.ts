import { describe, expect, it } from "vitest";
import {
  isOwnedByControl,
  isTypingTarget,
  keyToAction,
  SEEK_LARGE_SECONDS,
  SEEK_SMALL_SECONDS,
  VOLUME_STEP,
} from "@/components/player/keyboard-shortcuts";

const div = { tagName: "DIV", role: "region" };

describe("keyToAction", () => {
  it.each([
    [" ", { type: "togglePlay" }],
    ["k", { type: "togglePlay" }],
    ["K", { type: "togglePlay" }],
    ["j", { type: "seekBy", seconds: -SEEK_LARGE_SECONDS }],
    ["l", { type: "seekBy", seconds: SEEK_LARGE_SECONDS }],
    ["ArrowLeft", { type: "seekBy", seconds: -SEEK_SMALL_SECONDS }],
    ["ArrowRight", { type: "seekBy", seconds: SEEK_SMALL_SECONDS }],
    ["ArrowUp", { type: "volumeBy", delta: VOLUME_STEP }],
    ["ArrowDown", { type: "volumeBy", delta: -VOLUME_STEP }],
    ["m", { type: "toggleMute" }],
    ["f", { type: "toggleFullscreen" }],
    ["F", { type: "toggleFullscreen" }],
    ["c", { type: "toggleCaptions" }],
    ["Home", { type: "seekToFraction", fraction: 0 }],
    ["End", { type: "seekToFraction", fraction: 1 }],
    ["0", { type: "seekToFraction", fraction: 0 }],
    ["5", { type: "seekToFraction", fraction: 0.5 }],
    ["9", { type: "seekToFraction", fraction: 0.9 }],
  ])("maps %j", (key, action) => {
    expect(keyToAction({ key }, div)).toEqual(action);
  });

  it.each(["x", "Enter", "Tab", "Escape", "F5", "Shift"])("ignores %j", (key) => {
    expect(keyToAction({ key }, div)).toBeNull();
  });

  it.each([{ ctrlKey: true }, { metaKey: true }, { altKey: true }])(
    "leaves browser shortcuts alone (%o)",
    (modifiers) => {
      expect(keyToAction({ key: "f", ...modifiers }, div)).toBeNull();
      expect(keyToAction({ key: "ArrowLeft", ...modifiers }, div)).toBeNull();
    },
  );

  it("ignores keys typed into a text field", () => {
    expect(keyToAction({ key: "k" }, { tagName: "INPUT", type: "search" })).toBeNull();
    expect(keyToAction({ key: " " }, { tagName: "TEXTAREA" })).toBeNull();
    expect(keyToAction({ key: "f" }, { tagName: "DIV", isContentEditable: true })).toBeNull();
  });

  it("lets a focused button take Space but still maps letters", () => {
    expect(keyToAction({ key: " " }, { tagName: "BUTTON" })).toBeNull();
    expect(keyToAction({ key: "k" }, { tagName: "BUTTON" })).toEqual({ type: "togglePlay" });
  });

  it("lets a focused slider take the arrows", () => {
    const slider = { tagName: "DIV", role: "slider" };
    expect(keyToAction({ key: "ArrowLeft" }, slider)).toBeNull();
    expect(keyToAction({ key: "ArrowUp" }, slider)).toBeNull();
    expect(keyToAction({ key: "m" }, slider)).toEqual({ type: "toggleMute" });
  });

  it("works without a target", () => {
    expect(keyToAction({ key: "k" })).toEqual({ type: "togglePlay" });
  });
});

describe("isTypingTarget", () => {
  it.each([
    [{ tagName: "INPUT" }, true],
    [{ tagName: "input", type: "text" }, true],
    [{ tagName: "INPUT", type: "email" }, true],
    [{ tagName: "INPUT", type: "checkbox" }, false],
    [{ tagName: "INPUT", type: "range" }, false],
    [{ tagName: "SELECT" }, true],
    [{ tagName: "DIV", role: "textbox" }, true],
    [{ tagName: "DIV", role: "combobox" }, true],
    [{ tagName: "DIV" }, false],
    [{ tagName: "BUTTON" }, false],
  ])("%o -> %s", (target, expected) => {
    expect(isTypingTarget(target)).toBe(expected);
  });

  it("is false without a target", () => {
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe("isOwnedByControl", () => {
  it.each([
    ["Enter", { tagName: "A" }, true],
    [" ", { tagName: "DIV", role: "menuitemradio" }, true],
    ["ArrowDown", { tagName: "BUTTON", role: "menuitemradio" }, true],
    ["Home", { tagName: "DIV", role: "slider" }, true],
    ["ArrowLeft", { tagName: "BUTTON" }, false],
    [" ", { tagName: "DIV" }, false],
  ])("%j on %o -> %s", (key, target, expected) => {
    expect(isOwnedByControl(key, target)).toBe(expected);
  });
});
