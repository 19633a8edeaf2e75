import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  MediaError,
  checkEnd,
  planTranscode,
  probe,
  transcode,
  transcodeTimeoutMs,
} from "@/lib/media";
import { runTool } from "@/lib/media/run-tool";

// Uploads that are not the video they claim to be. An ".mp4" holding an HLS playlist, a
// DASH manifest or an ffconcat script is a list of other files to open: ffprobe and
// ffmpeg pick their demuxer from the content, so without a format whitelist they follow
// those references (another upload's original, or any https URL in S3 mode).
//
// Each reference here is a FIFO with a few bytes already in it, and the test holds it
// open for reading and writing itself: when a tool follows the reference, it reads those
// bytes; when it does not, they are still there afterwards.

let dir: string;
const file = (name: string) => path.join(dir, name);

function ffmpeg(...args: string[]) {
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", ...args]);
}

/** A FIFO holding `canary`; `followed()` says whether anything read from it. */
function canaryFifo(name: string): { path: string; followed: () => boolean; close: () => void } {
  const fifo = file(name);
  execFileSync("mkfifo", [fifo]);
  // O_RDWR: opening does not wait for the other end, and a reader never sees EOF.
  const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
  writeSync(fd, "canary");
  return {
    path: fifo,
    followed: () => {
      try {
        const read = readSync(fd, Buffer.alloc(16), 0, 16, null);
        // Still there: put it back for the next look.
        writeSync(fd, "canary");
        return read === 0;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EAGAIN") return true;
        throw err;
      }
    },
    close: () => closeSync(fd),
  };
}

const PLAYLISTS: Record<string, (ref: string) => string> = {
  "an HLS playlist": (ref) =>
    `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\nfile:${ref}\n#EXT-X-ENDLIST\n`,
  "a DASH manifest": (ref) =>
    `<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT4S" minBufferTime="PT1S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011"><Period><AdaptationSet mimeType="video/mp4"><Representation id="1" bandwidth="1000" width="64" height="64"><BaseURL>file:${ref}</BaseURL></Representation></AdaptationSet></Period></MPD>\n`,
  "an ffconcat script": (ref) => `ffconcat version 1.0\nfile 'file:${ref}'\n`,
};

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
  dir = mkdtempSync(path.join(os.tmpdir(), "reelgate-hostile-media-"));
  ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x64:rate=10", "-t", "1", file("real.mp4"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an upload that is a playlist in disguise", () => {
  for (const [what, body] of Object.entries(PLAYLISTS)) {
    it(`${what} named .mp4: probing refuses it without opening what it names`, async () => {
      const canary = canaryFifo(`${what.replace(/\W/g, "-")}-segment.mp4`);
      try {
        const upload = file(`${what.replace(/\W/g, "-")}.mp4`);
        writeFileSync(upload, body(canary.path));
        const err = await failure(probe(upload, { signal: AbortSignal.timeout(10_000) }));
        expect(err.code).toBe("invalid_input");
        expect(err.reason).toBe("The file is not a video file we can read");
        expect(canary.followed(), "the probe opened the file the playlist names").toBe(false);

        // ffmpeg gets the same input arguments: the end check and the transcode's pass.
        await failure(checkEnd(upload, fakeProbe(), { signal: AbortSignal.timeout(10_000) }));
        const plan = planTranscode(upload, file("out"), fakeProbe(), { preset: "ultrafast" });
        const run = await runTool("ffmpeg", plan.args, {
          signal: AbortSignal.timeout(10_000),
        }).catch((e: unknown) => e);
        expect(run).not.toBeInstanceOf(Error);
        expect((run as { exitCode: number }).exitCode).not.toBe(0);
        expect(canary.followed(), "ffmpeg opened the file the playlist names").toBe(false);
      } finally {
        canary.close();
      }
    });
  }

  it("a real video still probes", async () => {
    const info = await probe(file("real.mp4"));
    expect(info.video).toMatchObject({ width: 64, height: 64 });
  });
});

describe("what one ffmpeg run may cost", () => {
  it("a transcode that outruns its time for the video's length is stopped for good", async () => {
    const err = await failure(
      transcode({
        input: file("real.mp4"),
        outDir: file("slow"),
        preset: "ultrafast",
        // 1 s of video may take 0.05 s here: far less than ffmpeg needs to start.
        limits: { timeoutFactor: 0.05, timeoutFloorSeconds: 0 },
      }),
    );
    // invalid_input: the worker does not try it again.
    expect(err.code).toBe("invalid_input");
    expect(err.reason).toMatch(/^Transcoding took more than 0 minutes for 0:01 of video/);
  });

  it("the time allowed grows with the duration, from a floor", () => {
    const limits = { timeoutFactor: 10, timeoutFloorSeconds: 300 };
    const at = (seconds: number) => transcodeTimeoutMs(seconds, limits as never);
    expect(at(1)).toBe(300_000);
    expect(at(60)).toBe(600_000);
    expect(at(3600)).toBe(36_000_000);
  });

  it("a transcode over its memory cap fails instead of taking the machine's memory", async () => {
    const big = file("big.mp4");
    ffmpeg(
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=2048x2048:rate=10",
      "-t",
      "1",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      big,
    );
    const err = await failure(
      transcode({
        input: big,
        outDir: file("big-out"),
        preset: "ultrafast",
        limits: { maxMemoryBytes: 96 * 1024 * 1024 },
      }),
    );
    expect(err.code).toBe("failed");
    // The same file within a sane cap transcodes.
    const ok = await transcode({
      input: big,
      outDir: file("big-ok"),
      preset: "ultrafast",
      limits: { maxMemoryBytes: 2048 * 1024 * 1024 },
    });
    expect(ok.renditions.length).toBeGreaterThan(0);
  }, 120_000);

  it("the ladder pass caps the decoder's, the filters' and the encoders' threads", () => {
    const { args } = planTranscode(file("real.mp4"), file("out"), fakeProbe(), { threads: 2 });
    const at = (flag: string, from = 0) => args.indexOf(flag, from);
    expect(args[at("-filter_complex_threads") + 1]).toBe("2");
    const decoder = at("-threads");
    expect(args[decoder + 1]).toBe("2");
    expect(decoder).toBeLessThan(at("-i"));
    const encoders = at("-threads", decoder + 1);
    expect(args[encoders + 1]).toBe("2");
    expect(encoders).toBeGreaterThan(at("-c:v"));
    expect(encoders).toBeLessThan(at("-f", at("-c:v")));
  });
});

function fakeProbe() {
  return {
    durationSeconds: 4,
    sizeBytes: 100,
    video: { index: 0, width: 64, height: 64, codec: "h264", fps: 10 },
    audio: null,
    formatName: "mov,mp4,m4a,3gp,3g2,mj2",
  };
}
