import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ffmpegStatus, MediaError, planLadder, probe, transcode } from "@/lib/media";
import { parseMediaPlaylist } from "@/lib/media/playlists";

// Integration tests against the system ffmpeg: tiny lavfi sources of a few seconds each, and
// the ultrafast preset (the plan is the same as production's but for the preset name).
const preset = "ultrafast";

let dir: string;
const file = (name: string) => path.join(dir, name);

function ffmpeg(...args: string[]) {
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", ...args]);
}

async function failure(promise: Promise<unknown>): Promise<MediaError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(MediaError);
    return err as MediaError;
  }
  throw new Error("expected a MediaError, got success");
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "reelgate-media-"));
  const x264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];
  ffmpeg(
    ...[
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=854x480:rate=30",
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440",
    ],
    ...["-t", "5", ...x264, "-c:a", "aac", file("av.mp4")],
  );
  ffmpeg(
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=642x362:rate=25",
    "-t",
    "4",
    ...x264,
    file("silent.mp4"),
  );
  ffmpeg(
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440",
    "-t",
    "2",
    "-c:a",
    "aac",
    file("audio-only.mp4"),
  );
  ffmpeg(
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=320x180:rate=30",
    "-t",
    "1",
    ...x264,
    file("flat.mp4"),
  );
  ffmpeg("-i", file("flat.mp4"), "-c", "copy", "-metadata:s:v:0", "rotate=90", file("rotated.mp4"));
  ffmpeg(
    ...["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30", "-t", "4", ...x264],
    ...["-movflags", "+faststart", file("faststart.mp4")],
  );

  writeFileSync(file("text.mp4"), "this is not a video\n".repeat(50));
  writeFileSync(file("empty.mp4"), "");
  const av = readFileSync(file("av.mp4"));
  writeFileSync(file("truncated.mp4"), av.subarray(0, Math.floor(av.length * 0.3)));
  // With the index at the front, a cut-off file still probes; only the encode notices.
  const fs = readFileSync(file("faststart.mp4"));
  writeFileSync(file("truncated-faststart.mp4"), fs.subarray(0, Math.floor(fs.length * 0.3)));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("probe", () => {
  it("reads duration, size, video and audio", async () => {
    const result = await probe(file("av.mp4"));
    expect(result.durationSeconds).toBeGreaterThan(4.9);
    expect(result.durationSeconds).toBeLessThan(5.2);
    expect(result.sizeBytes).toBe(readFileSync(file("av.mp4")).length);
    expect(result.video).toMatchObject({ width: 854, height: 480, codec: "h264", fps: 30 });
    expect(result.audio).toMatchObject({ codec: "aac" });
  });

  it("reports a silent source without audio", async () => {
    expect((await probe(file("silent.mp4"))).audio).toBeNull();
  });

  it("reports the display size of a rotated phone video", async () => {
    const result = await probe(file("rotated.mp4"));
    expect(result.video).toMatchObject({ width: 180, height: 320, rotation: 90 });
  });

  it.each([
    ["text.mp4", /not a video file/],
    ["empty.mp4", /empty/],
    ["truncated.mp4", /incomplete.*cut off/],
    ["audio-only.mp4", /^The file has no video stream$/],
    ["missing.mp4", /missing/],
  ])("refuses %s with a clear reason", async (name, reason) => {
    const error = await failure(probe(file(name)));
    expect(error.code).toBe("invalid_input");
    expect(error.reason).toMatch(reason);
    expect(error.reason).not.toContain(dir);
  });

  it("says so when ffprobe is not installed", async () => {
    const tools = { ffmpeg: "/nonexistent/ffmpeg", ffprobe: "/nonexistent/ffprobe" };
    const error = await failure(probe(file("av.mp4"), { tools }));
    expect(error.code).toBe("ffmpeg_missing");
    expect(error.reason).toMatch(/ffprobe is not available/);
  });
});

describe("ffmpegStatus", () => {
  it("reports the installed ffmpeg", async () => {
    const status = await ffmpegStatus();
    expect(status.ok).toBe(true);
    expect(status.ffmpeg).toMatch(/^ffmpeg version \S+$/);
  });

  it("reports a missing ffmpeg without throwing", async () => {
    const status = await ffmpegStatus({
      ffmpeg: "/nonexistent/ffmpeg",
      ffprobe: "/nonexistent/ffprobe",
    });
    expect(status.ok).toBe(false);
    expect(status.error).toMatch(/not available/);
  });
});

function checkOutput(outDir: string, variants: number, codecs: RegExp) {
  const master = readFileSync(path.join(outDir, "hls/master.m3u8"), "utf8");
  const infs = master.split("\n").filter((l) => l.startsWith("#EXT-X-STREAM-INF:"));
  expect(infs).toHaveLength(variants);
  for (const inf of infs) {
    expect(inf).toMatch(/BANDWIDTH=\d+/);
    expect(inf).toMatch(/RESOLUTION=\d+x\d+/);
    expect(inf).toMatch(codecs);
  }
  const uris = master.split("\n").filter((l) => l.endsWith("/index.m3u8"));
  expect(uris).toHaveLength(variants);
  const timelines = uris.map((uri) => {
    const playlist = readFileSync(path.join(outDir, "hls", uri), "utf8");
    expect(playlist).toContain("#EXT-X-ENDLIST");
    const media = parseMediaPlaylist(playlist);
    expect(media.targetDuration).toBeLessThanOrEqual(6);
    expect(media.segments.length).toBeGreaterThan(0);
    const dir = path.join(outDir, "hls", path.dirname(uri));
    // fMP4: an init segment (ftyp + moov) and media fragments (moof + mdat), no MPEG-TS.
    expect(media.map).toMatch(/^init(_\d+)?\.mp4$/);
    const init = readFileSync(path.join(dir, media.map ?? ""));
    expect(init.subarray(4, 8).toString("latin1")).toBe("ftyp");
    expect(init.includes("moov")).toBe(true);
    for (const s of media.segments) {
      expect(s.uri).toMatch(/\.m4s$/);
      const fragment = readFileSync(path.join(dir, s.uri));
      expect(fragment.includes("moof")).toBe(true);
      expect(fragment.includes("mdat")).toBe(true);
    }
    return media.segments.map((s) => s.duration.toFixed(2)).join(",");
  });
  // Same keyframes in every rendition means the same segment boundaries.
  expect(new Set(timelines).size).toBe(1);
  const poster = readFileSync(path.join(outDir, "poster.jpg"));
  expect([poster[0], poster[1]]).toEqual([0xff, 0xd8]);
  return master;
}

describe("transcode", () => {
  it("makes the ladder, the playlists and the poster, reporting progress up to 100", async () => {
    const outDir = file("out-av");
    const seen: number[] = [];
    const result = await transcode({
      input: file("av.mp4"),
      outDir,
      onProgress: (p) => seen.push(p),
    });

    const ladder = planLadder(result.probe);
    expect(result.renditions.map((r) => r.name)).toEqual(["360p", "480p"]);
    expect(result.renditions.map((r) => r.name)).toEqual(ladder.map((r) => r.name));
    expect(result.masterPlaylist).toBe("hls/master.m3u8");
    expect(result.poster).toBe("poster.jpg");
    const master = checkOutput(outDir, 2, /CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/);
    for (const r of result.renditions) {
      expect(master).toContain(`BANDWIDTH=${r.bandwidth},`);
      expect(master).toContain(`RESOLUTION=${r.width}x${r.height}`);
      expect(existsSync(path.join(outDir, r.playlist))).toBe(true);
    }

    expect(seen.at(-1)).toBe(100);
    expect(seen.length).toBeGreaterThan(2);
    seen.slice(1).forEach((p, i) => expect(p).toBeGreaterThan(seen[i] ?? Infinity));
    // Only the output folder is left next to it: no work folders.
    expect(readdirSync(dir).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("handles a source without audio and with odd dimensions", async () => {
    const outDir = file("out-silent");
    const result = await transcode({ input: file("silent.mp4"), outDir, preset });
    expect(result.renditions).toMatchObject([{ name: "360p", width: 638, height: 360 }]);
    checkOutput(outDir, 1, /CODECS="avc1\.[0-9a-f]{6}"/);
  });

  it("refuses a file that ends early, leaving nothing behind", async () => {
    const outDir = file("out-truncated");
    const error = await failure(
      transcode({ input: file("truncated-faststart.mp4"), outDir, preset }),
    );
    expect(error.code).toBe("invalid_input");
    expect(error.reason).toMatch(/ends early/);
    expect(existsSync(outDir)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("fails with the probe's reason for a file that is not a video", async () => {
    const error = await failure(transcode({ input: file("text.mp4"), outDir: file("out-text") }));
    expect(error.reason).toMatch(/not a video file/);
  });

  it("fails cleanly when ffmpeg is missing", async () => {
    const tools = { ffmpeg: "/nonexistent/ffmpeg", ffprobe: "ffprobe" };
    const outDir = file("out-missing");
    const error = await failure(transcode({ input: file("av.mp4"), outDir, tools }));
    expect(error.code).toBe("ffmpeg_missing");
    expect(existsSync(outDir)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("stops ffmpeg on abort and removes its temporary files", async () => {
    const outDir = file("out-aborted");
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await failure(
      transcode({
        input: file("av.mp4"),
        outDir,
        preset,
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p);
          if (p > 0) controller.abort();
        },
      }),
    );
    expect(error.code).toBe("aborted");
    expect(seen.at(-1)).toBeLessThan(100);
    expect(existsSync(outDir)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("does not start when already aborted", async () => {
    const error = await failure(
      transcode({ input: file("av.mp4"), outDir: file("out-pre"), signal: AbortSignal.abort() }),
    );
    expect(error.code).toBe("aborted");
  });
});
