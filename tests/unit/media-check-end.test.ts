import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MediaError, checkEnd, probe } from "@/lib/media";
import { makeTestVideo } from "../support/test-video";

let dir: string;
let whole: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "check-end-"));
  whole = path.join(dir, "whole.mp4");
  makeTestVideo(whole, { seconds: 6, size: "320x240", faststart: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("checkEnd", () => {
  it("accepts a complete file", async () => {
    await expect(checkEnd(whole, await probe(whole))).resolves.toBeUndefined();
  });

  it.each([0.3, 0.6, 0.9])(
    "refuses a fast-start MP4 cut to %s of its bytes, which still probes",
    async (fraction) => {
      const bytes = readFileSync(whole);
      const cut = path.join(dir, `cut-${fraction}.mp4`);
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * fraction)));
      const info = await probe(cut);
      expect(info.durationSeconds).toBeGreaterThan(5);
      const error = await checkEnd(cut, info).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaError);
      expect((error as MediaError).code).toBe("invalid_input");
      expect((error as MediaError).reason).toMatch(/ends early/);
      expect((error as MediaError).reason).not.toContain(dir);
    },
  );
});
