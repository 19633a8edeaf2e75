import { describe, expect, it } from "vitest";
import {
  MediaError,
  parseProbe,
  planLadder,
  planTranscode,
  posterArgs,
  type ProbeResult,
} from "@/lib/media";
import {
  buildMasterPlaylist,
  measureBitrates,
  parseMasterCodecs,
  parseMediaPlaylist,
} from "@/lib/media/playlists";
import { progressParser } from "@/lib/media/progress";
import { tailLines } from "@/lib/media/run-tool";

function source(
  width: number,
  height: number,
  { fps = 30, audio = true, duration = 60, videoIndex = 0 } = {},
): ProbeResult {
  return {
    durationSeconds: duration,
    sizeBytes: 1_000_000,
    video: { index: videoIndex, width, height, codec: "h264", fps },
    audio: audio ? { index: videoIndex + 1, codec: "aac", channels: 2 } : null,
    formatName: "mov,mp4,m4a,3gp,3g2,mj2",
  };
}

/** The value following `flag` in an argv. */
function arg(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

const SIZES: [number, number][] = [
  [1920, 1080],
  [1280, 720],
  [854, 480],
  [640, 360],
  [3840, 2160],
  [1080, 1920],
  [720, 1280],
  [1001, 563],
  [1919, 1079],
  [320, 240],
  [176, 144],
  [1440, 1080],
  [2560, 1080],
  [3, 3],
  [1081, 1081],
];

describe("planLadder", () => {
  it.each([
    [1920, 1080, ["360p", "540p", "720p", "1080p"], [640, 960, 1280, 1920]],
    [1280, 720, ["360p", "540p", "720p"], [640, 960, 1280]],
    [3840, 2160, ["360p", "540p", "720p", "1080p"], [640, 960, 1280, 1920]],
    [854, 480, ["360p", "480p"], [640, 854]],
    [1001, 563, ["360p", "540p"], [640, 960]],
    [640, 360, ["360p"], [640]],
    [320, 240, ["240p"], [320]],
  ])("plans %ix%i as %j", (w, h, names, widths) => {
    const ladder = planLadder(source(w, h));
    expect(ladder.map((r) => r.name)).toEqual(names);
    expect(ladder.map((r) => r.width)).toEqual(widths);
  });

  it("plans a portrait source by its short side", () => {
    const ladder = planLadder(source(1080, 1920));
    expect(ladder.map((r) => [r.width, r.height])).toEqual([
      [360, 640],
      [540, 960],
      [720, 1280],
      [1080, 1920],
    ]);
    expect(ladder.map((r) => r.name)).toEqual(["360p", "540p", "720p", "1080p"]);
  });

  it.each(SIZES)("never upscales and keeps even sizes and the aspect for %ix%i", (w, h) => {
    for (const audio of [true, false]) {
      const ladder = planLadder(source(w, h, { audio }));
      expect(ladder.length).toBeGreaterThanOrEqual(1);
      for (const r of ladder) {
        expect(r.width).toBeLessThanOrEqual(Math.max(2, w));
        expect(r.height).toBeLessThanOrEqual(Math.max(2, h));
        expect(r.width % 2).toBe(0);
        expect(r.height % 2).toBe(0);
        // Even-flooring moves an edge by at most 2 px.
        expect(Math.abs(r.width / r.height - w / h)).toBeLessThan(
          (2 / Math.min(r.width, r.height)) * (w / h) + 0.01,
        );
        expect(r.maxrate).toBeGreaterThan(r.videoBitrate);
        expect(r.bufsize).toBeGreaterThanOrEqual(r.maxrate);
        expect(r.audioBitrate > 0).toBe(audio);
      }
      const bitrates = ladder.map((r) => r.videoBitrate);
      expect([...bitrates].sort((a, b) => a - b)).toEqual(bitrates);
      expect(new Set(ladder.map((r) => r.name)).size).toBe(ladder.length);
    }
  });

  it("holds the same invariants for 300 pseudo-random sizes", () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 300; i++) {
      const w = 2 + Math.floor(next() * 4000);
      const h = 2 + Math.floor(next() * 4000);
      const ladder = planLadder(source(w, h));
      expect(ladder.length).toBeGreaterThanOrEqual(1);
      expect(ladder.length).toBeLessThanOrEqual(5);
      for (const r of ladder) {
        expect(r.width).toBeLessThanOrEqual(w);
        expect(r.height).toBeLessThanOrEqual(h);
        expect(Math.min(r.width, r.height)).toBeLessThanOrEqual(1080);
        expect([r.width % 2, r.height % 2]).toEqual([0, 0]);
      }
    }
  });

  it("spends more bits on 60 fps than on 30 fps at the same size", () => {
    const at30 = planLadder(source(1920, 1080, { fps: 30 }));
    const at60 = planLadder(source(1920, 1080, { fps: 60 }));
    at60.forEach((r, i) =>
      expect(r.videoBitrate).toBeGreaterThan(at30[i]?.videoBitrate ?? Infinity),
    );
  });
});

describe("planTranscode", () => {
  it.each([
    [1920, 1080, 30, true],
    [1280, 720, 60, true],
    [854, 480, 25, false],
    [3840, 2160, 29.97, true],
    [1080, 1920, 30, false],
    [1001, 563, 24, true],
  ])("plans one pass for %ix%i at %f fps (audio %s)", (w, h, fps, audio) => {
    const probe = source(w, h, { fps, audio });
    const plan = planTranscode("/in/source.mp4", "/out/job", probe);
    const ladder = planLadder(probe);
    const { args } = plan;

    // One input, one filter graph that splits into one scaler per rung.
    expect(args.filter((a) => a === "-i")).toHaveLength(1);
    const filter = arg(args, "-filter_complex") ?? "";
    expect(filter).toContain(`split=${ladder.length}`);
    for (const r of ladder) expect(filter).toContain(`scale=${r.width}:${r.height}`);

    const streamMap = arg(args, "-var_stream_map") ?? "";
    const entries = streamMap.split(" ");
    expect(entries).toHaveLength(ladder.length);
    entries.forEach((entry, i) => {
      expect(entry).toBe(
        audio ? `v:${i},a:${i},name:${ladder[i]?.name}` : `v:${i},name:${ladder[i]?.name}`,
      );
    });
    expect(args.includes("-c:a")).toBe(audio);
    expect(args.filter((a) => a === "-map")).toHaveLength(ladder.length * (audio ? 2 : 1));

    // Aligned keyframes: fixed GOP of one segment, no scene-cut keyframes, forced by time.
    expect(plan.segmentSeconds).toBe(4);
    expect(arg(args, "-g")).toBe(String(Math.round(4 * fps)));
    expect(arg(args, "-keyint_min")).toBe(arg(args, "-g"));
    expect(arg(args, "-sc_threshold")).toBe("0");
    expect(arg(args, "-force_key_frames")).toBe("expr:gte(t,n_forced*4)");
    expect(arg(args, "-hls_time")).toBe("4");
    expect(arg(args, "-hls_playlist_type")).toBe("vod");
    expect(arg(args, "-c:v")).toBe("libx264");
    expect(arg(args, "-progress")).toBe("pipe:1");
    expect(args).toContain("-nostats");

    ladder.forEach((r, i) => {
      expect(arg(args, `-b:v:${i}`)).toBe(String(r.videoBitrate));
      expect(arg(args, `-maxrate:v:${i}`)).toBe(String(r.maxrate));
      if (audio) expect(arg(args, `-b:a:${i}`)).toBe(String(r.audioBitrate));
    });
    expect(plan.renditions.map((r) => r.playlist)).toEqual(
      ladder.map((r) => `hls/${r.name}/index.m3u8`),
    );
    plan.renditions.forEach((r, i) => {
      const rung = ladder[i];
      expect(rung).toBeDefined();
      if (rung) expect(r.bandwidth).toBeGreaterThanOrEqual(rung.maxrate + rung.audioBitrate);
    });
    expect(args.at(-1)).toBe("/out/job/hls/%v/index.m3u8");
    // Fragmented MP4: the player passes it to Media Source Extensions without transmuxing.
    expect(arg(args, "-hls_segment_type")).toBe("fmp4");
    expect(arg(args, "-hls_fmp4_init_filename")).toBe("init.mp4");
    expect(arg(args, "-hls_segment_filename")).toBe("/out/job/hls/%v/seg_%05d.m4s");
    expect(arg(args, "-master_pl_name")).toBe("master.m3u8");
  });

  it.each([4, 5, 6])("uses %i s segments when asked", (seconds) => {
    const plan = planTranscode("/in.mp4", "/out", source(1280, 720, { fps: 25 }), {
      segmentSeconds: seconds,
    });
    expect(plan.segmentSeconds).toBe(seconds);
    expect(arg(plan.args, "-hls_time")).toBe(String(seconds));
    expect(arg(plan.args, "-g")).toBe(String(25 * seconds));
    expect(arg(plan.args, "-force_key_frames")).toBe(`expr:gte(t,n_forced*${seconds})`);
  });

  it.each([3, 7, 4.5, 0])("refuses %f s segments", (seconds) => {
    expect(() =>
      planTranscode("/in.mp4", "/out", source(1280, 720), { segmentSeconds: seconds }),
    ).toThrow(RangeError);
  });

  it("refuses an unknown preset and an output folder with %", () => {
    expect(() =>
      planTranscode("/in.mp4", "/out", source(1280, 720), { preset: "fast; rm" }),
    ).toThrow(RangeError);
    expect(() => planTranscode("/in.mp4", "/out/%d", source(1280, 720))).toThrow(RangeError);
  });

  it("reads the input only as a local file", () => {
    const { args } = planTranscode("/in/concat:a.mp4", "/out", source(640, 360));
    expect(arg(args, "-i")).toBe("file:/in/concat:a.mp4");
    expect(arg(args, "-protocol_whitelist")).toBe("file");
    expect(args.indexOf("-protocol_whitelist")).toBeLessThan(args.indexOf("-i"));
  });

  it("maps the probed stream indexes, not the first streams", () => {
    const { args } = planTranscode("/in.mp4", "/out", source(640, 360, { videoIndex: 2 }));
    expect(arg(args, "-filter_complex")).toMatch(/^\[0:2\]/);
    expect(args.filter((_, i) => args[i - 1] === "-map")).toEqual(["[v0]", "0:3"]);
  });

  it("caps a 120 fps source at 60 fps with a matching GOP", () => {
    const { args } = planTranscode("/in.mp4", "/out", source(1280, 720, { fps: 120 }));
    expect(arg(args, "-filter_complex")).toContain("fps=60");
    expect(arg(args, "-g")).toBe("240");
  });

  it("falls back to a 30 fps GOP when the frame rate is unknown", () => {
    const { args } = planTranscode("/in.mp4", "/out", source(1280, 720, { fps: 0 }));
    expect(arg(args, "-g")).toBe("120");
    expect(arg(args, "-force_key_frames")).toBe("expr:gte(t,n_forced*4)");
  });

  it("is pure: the same input gives the same plan", () => {
    const a = planTranscode("/in.mp4", "/out", source(1920, 1080));
    const b = planTranscode("/in.mp4", "/out", source(1920, 1080));
    expect(a).toEqual(b);
  });
});

describe("posterArgs", () => {
  it.each([
    [1920, 1080, 60, 1280, 720, 10],
    [1280, 720, 6, 1280, 720, 2],
    [1080, 1920, 30, 720, 1280, 10],
    [320, 240, 3, 320, 240, 1],
  ])("takes one frame of %ix%i (%i s) at %ix%i after %i s", (w, h, duration, pw, ph, at) => {
    const args = posterArgs("/in.mp4", "/out/poster.jpg", source(w, h, { duration }));
    expect(arg(args, "-ss")).toBe(String(at));
    expect(args.indexOf("-ss")).toBeLessThan(args.indexOf("-i"));
    expect(arg(args, "-frames:v")).toBe("1");
    expect(arg(args, "-vf")).toBe(`scale=${pw}:${ph},setsar=1`);
    expect(args.at(-1)).toBe("/out/poster.jpg");
  });

  it("can be asked for another time", () => {
    expect(arg(posterArgs("/in.mp4", "/p.jpg", source(640, 360), 0), "-ss")).toBe("0");
  });
});

describe("parseProbe", () => {
  const base = {
    format: { format_name: "mov,mp4,m4a,3gp,3g2,mj2", duration: "12.5" },
    streams: [
      {
        index: 0,
        codec_type: "video",
        codec_name: "h264",
        width: 1920,
        height: 1080,
        avg_frame_rate: "30000/1001",
      },
      { index: 1, codec_type: "audio", codec_name: "aac", channels: 2 },
    ],
  };
  const parse = (data: unknown) => parseProbe(JSON.stringify(data), 1234);

  it("reads duration, size, streams and frame rate", () => {
    expect(parse(base)).toEqual({
      durationSeconds: 12.5,
      sizeBytes: 1234,
      video: { index: 0, width: 1920, height: 1080, codec: "h264", fps: 29.97 },
      audio: { index: 1, codec: "aac", channels: 2 },
      formatName: "mov,mp4,m4a,3gp,3g2,mj2",
    });
  });

  it.each([
    [-90, 270],
    [90, 90],
    [270, 270],
    [180, 180],
  ])("applies rotation %i to the display size", (rotation, normalised) => {
    const v = {
      ...base.streams[0],
      side_data_list: [{ side_data_type: "Display Matrix", rotation }],
    };
    const probe = parse({ ...base, streams: [v] });
    expect(probe.video.rotation).toBe(normalised);
    const sideways = normalised % 180 !== 0;
    expect([probe.video.width, probe.video.height]).toEqual(sideways ? [1080, 1920] : [1920, 1080]);
    expect(probe.audio).toBeNull();
  });

  it("applies non-square pixels", () => {
    const v = { ...base.streams[0], width: 720, height: 576, sample_aspect_ratio: "64:45" };
    expect(parse({ ...base, streams: [v] }).video).toMatchObject({ width: 1024, height: 576 });
  });

  it.each([
    ["audio only", { ...base, streams: [base.streams[1]] }, "The file has no video stream"],
    [
      "cover art only",
      {
        format: { format_name: "mp3", duration: "3" },
        streams: [
          { codec_type: "video", width: 500, height: 500, disposition: { attached_pic: 1 } },
        ],
      },
      "not a supported video container",
    ],
    [
      "cover art in mp4",
      {
        ...base,
        streams: [{ ...base.streams[0], disposition: { attached_pic: 1 } }, base.streams[1]],
      },
      "The file has no video stream",
    ],
    [
      "an HLS playlist",
      { ...base, format: { format_name: "hls", duration: "10" } },
      "(hls) is not a supported",
    ],
    ["no duration", { ...base, format: { format_name: "matroska,webm" } }, "no playable duration"],
    ["zero size", { ...base, streams: [{ ...base.streams[0], width: 0 }] }, "no picture size"],
  ])("refuses %s with a clear reason", (_, data, reason) => {
    let error: unknown;
    try {
      parse(data);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).code).toBe("invalid_input");
    expect((error as MediaError).reason).toContain(reason);
  });
});

describe("progressParser", () => {
  it("reports increasing whole percents from split chunks and stops at 99", () => {
    const seen: number[] = [];
    const parser = progressParser(10, (p) => seen.push(p));
    parser.push("frame=1\nout_time_us=N/A\nout_time_us=-23000\nout_ti");
    parser.push("me_us=2500000\nprogress=continue\nout_time_us=2400000\n");
    parser.push("out_time_us=7000000\nout_time_us=10000000\nprogress=end\n");
    expect(seen).toEqual([25, 70, 99]);
    expect(parser.lastSeconds()).toBe(10);
  });

  it("reaches 100 when the ceiling allows it", () => {
    const seen: number[] = [];
    const parser = progressParser(4, (p) => seen.push(p), 100);
    parser.push("out_time_us=1000000\nprogress=end\n");
    expect(seen).toEqual([25, 100]);
  });
});

describe("playlists", () => {
  const master = [
    "#EXTM3U",
    "#EXT-X-VERSION:6",
    '#EXT-X-STREAM-INF:BANDWIDTH=985600,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"',
    "360p/index.m3u8",
    "",
    '#EXT-X-STREAM-INF:BANDWIDTH=3220800,RESOLUTION=1280x720,CODECS="avc1.64001f"',
    "720p/index.m3u8",
  ].join("\n");

  it("reads CODECS per variant from ffmpeg's master", () => {
    expect(Object.fromEntries(parseMasterCodecs(master))).toEqual({
      "360p/index.m3u8": "avc1.64001e,mp4a.40.2",
      "720p/index.m3u8": "avc1.64001f",
    });
  });

  it("reads a media playlist", () => {
    const text =
      "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.000000,\nseg_00000.ts\n#EXTINF:1.5,\nseg_00001.ts\n#EXT-X-ENDLIST\n";
    expect(parseMediaPlaylist(text)).toEqual({
      segments: [
        { uri: "seg_00000.ts", duration: 4 },
        { uri: "seg_00001.ts", duration: 1.5 },
      ],
      ended: true,
      targetDuration: 4,
    });
    expect(parseMediaPlaylist(text.replace("#EXT-X-ENDLIST\n", "")).ended).toBe(false);
  });

  it("reads the init segment of an fMP4 playlist", () => {
    const text =
      '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI="init_0.mp4"\n#EXTINF:4.000000,\nseg_00000.m4s\n#EXT-X-ENDLIST\n';
    expect(parseMediaPlaylist(text)).toEqual({
      segments: [{ uri: "seg_00000.m4s", duration: 4 }],
      map: "init_0.mp4",
      ended: true,
      targetDuration: 4,
    });
  });

  it("measures peak and average, leaving a short tail out of the peak", () => {
    const m = measureBitrates([
      { duration: 4, bytes: 500_000 },
      { duration: 4, bytes: 1_000_000 },
      { duration: 0.2, bytes: 100_000 },
    ]);
    expect(m.peak).toBe(2_000_000);
    expect(m.average).toBe(Math.ceil((1_600_000 * 8) / 8.2));
  });

  it("writes BANDWIDTH, RESOLUTION and CODECS, lowest first", () => {
    const text = buildMasterPlaylist([
      {
        uri: "720p/index.m3u8",
        bandwidth: 3_000_000,
        width: 1280,
        height: 720,
        codecs: "avc1.64001f",
      },
      {
        uri: "360p/index.m3u8",
        bandwidth: 900_000,
        averageBandwidth: 700_000,
        width: 640,
        height: 360,
        codecs: "avc1.64001e",
      },
    ]);
    const lines = text.trim().split("\n");
    expect(lines[0]).toBe("#EXTM3U");
    expect(lines.slice(-4)).toEqual([
      '#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=700000,RESOLUTION=640x360,CODECS="avc1.64001e"',
      "360p/index.m3u8",
      '#EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=1280x720,CODECS="avc1.64001f"',
      "720p/index.m3u8",
    ]);
  });
});

describe("tailLines", () => {
  it("keeps the last lines, without server paths or ffmpeg's context prefixes", () => {
    const stderr =
      "line one\n[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55c11a1ba180] stream 0, offset 0x7bdc: partial file\n/srv/data/tmp/abc/in.mp4: Invalid data found\n\n";
    expect(tailLines(stderr, ["/srv/data/tmp/abc/in.mp4"], 2)).toBe(
      "stream 0, offset 0x7bdc: partial file; in.mp4: Invalid data found",
    );
  });
});
