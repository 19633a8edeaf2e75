import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  formatBytes,
  formatDuration,
  formatProgressLine,
  partCountFor,
  partRanges,
  progressFigures,
  SpeedMeter,
} from "@/lib/client/upload-math";
import {
  contentTypeFor,
  fileExtension,
  MAX_UPLOAD_BYTES,
  refusalReason,
  titleFromFileName,
} from "@/lib/client/upload-validate";
import { fileFingerprint, ResumeStore } from "@/lib/client/upload-resume-store";

const MiB = 1024 * 1024;

describe("partRanges", () => {
  const ps = 8 * MiB;
  it.each([
    [0, 0],
    [1, 1],
    [ps - 1, 1],
    [ps, 1],
    [ps + 1, 2],
    [2 * ps - 1, 2],
    [2 * ps, 2],
    [2 * ps + 1, 3],
    [MAX_UPLOAD_BYTES, 1280],
  ])("size %d makes %d parts covering every byte once", (size, count) => {
    const ranges = partRanges(size, ps);
    expect(ranges).toHaveLength(count);
    expect(partCountFor(size, ps)).toBe(count);
    let next = 0;
    ranges.forEach((r, i) => {
      expect(r.partNumber).toBe(i + 1);
      expect(r.start).toBe(next);
      expect(r.end).toBeGreaterThan(r.start);
      expect(r.end - r.start).toBeLessThanOrEqual(ps);
      if (i < ranges.length - 1) expect(r.end - r.start).toBe(ps);
      next = r.end;
    });
    expect(next).toBe(size);
  });

  it("the last part is the remainder", () => {
    expect(partRanges(25, 10).map((r) => r.end - r.start)).toEqual([10, 10, 5]);
    expect(partRanges(30, 10).map((r) => r.end - r.start)).toEqual([10, 10, 10]);
  });

  it.each([0, -1, 1.5, NaN])("rejects part size %d", (ps) => {
    expect(() => partRanges(10, ps)).toThrow(RangeError);
  });
});

describe("progressFigures", () => {
  it.each([
    [0, 1000, null, 0, null],
    [420, 1000, 100, 42, 6],
    [999, 1000, 1, 99, 1],
    [1000, 1000, null, 100, 0],
    [1500, 1000, 10, 100, 0],
    [500, 1000, 0, 50, null],
  ])("%d of %d at %s B/s: %d %%, %s s left", (sent, total, speed, percent, left) => {
    const p = progressFigures(sent, total, speed);
    expect(p.percent).toBe(percent);
    expect(p.secondsLeft).toBe(left);
    expect(p.bytesSent).toBe(Math.min(sent, total));
  });

  it("never shows 100 % before the last byte", () => {
    expect(progressFigures(10 * MiB - 1, 10 * MiB, null).percent).toBe(99);
  });
});

describe("SpeedMeter", () => {
  it("has no estimate before minSpanMs of data", () => {
    const m = new SpeedMeter(5000, 500);
    m.record(0, 0);
    m.record(400, 4000);
    expect(m.bytesPerSecond()).toBeNull();
    m.record(500, 5000);
    expect(m.bytesPerSecond()).toBe(10_000);
  });

  it("averages over the window only, following a slowdown", () => {
    const m = new SpeedMeter(2000, 0);
    let bytes = 0;
    for (let t = 0; t <= 4000; t += 100) {
      m.record(t, bytes);
      bytes += 100; // 1000 B/s
    }
    expect(m.bytesPerSecond()).toBeCloseTo(1000, 5);
    for (let t = 4100; t <= 8000; t += 100) {
      bytes += 10; // 100 B/s
      m.record(t, bytes);
    }
    // The fast first seconds have left the 2 s window.
    expect(m.bytesPerSecond()).toBeCloseTo(100, 5);
  });

  it("restarts when bytes go backwards (a failed part gave its bytes back)", () => {
    const m = new SpeedMeter(5000, 0);
    m.record(0, 0);
    m.record(1000, 1000);
    m.record(1100, 200);
    expect(m.bytesPerSecond()).toBeNull();
    m.record(2100, 1200);
    expect(m.bytesPerSecond()).toBe(1000);
  });

  it("counts resumed bytes as a baseline, not as speed", () => {
    const m = new SpeedMeter(5000, 0);
    m.record(0, 900_000);
    m.record(1000, 901_000);
    expect(m.bytesPerSecond()).toBe(1000);
  });
});

describe("formatting", () => {
  it.each([
    [0, "0 B"],
    [999, "999 B"],
    [1000, "1.0 KB"],
    [12_345_678, "12.3 MB"],
    [29_100_000, "29.1 MB"],
    [10 * 1024 ** 3, "10.7 GB"],
  ])("formatBytes(%d) = %s", (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  it.each([
    [0, "0 s"],
    [6.2, "7 s"],
    [59, "59 s"],
    [60, "1 min 0 s"],
    [125, "2 min 5 s"],
    [3725, "1 h 2 min"],
  ])("formatDuration(%d) = %s", (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });

  it("formats the progress line of the upload page", () => {
    const p = progressFigures(12_300_000, 29_100_000, 4_200_000);
    expect(formatProgressLine(p)).toBe("42 % · 12.3 MB of 29.1 MB · 4.2 MB/s · 4 s left");
    expect(formatProgressLine(progressFigures(0, 1000, null))).toBe("0 % · 0 B of 1.0 KB");
    expect(formatProgressLine(progressFigures(1000, 1000, 50))).toBe(
      "100 % · 1.0 KB of 1.0 KB · 50 B/s",
    );
  });
});

describe("backoffDelay", () => {
  it("doubles from the base and stops at the cap", () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, 500))).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(backoffDelay(20, 500, 30_000)).toBe(30_000);
  });
});

describe("file checks", () => {
  it.each([
    ["a.mp4", "mp4"],
    ["A.MOV", "mov"],
    ["x.tar.webm", "webm"],
    [".hidden", ""],
    ["noext", ""],
  ])("extension of %s is %s", (name, ext) => {
    expect(fileExtension(name)).toBe(ext);
  });

  it.each([
    ["Holiday 2024.mp4", "Holiday 2024"],
    ["a.b.mkv", "a.b"],
    ["noext", "noext"],
    [".mp4", ".mp4"],
  ])("title of %s is %s", (name, title) => {
    expect(titleFromFileName(name)).toBe(title);
  });

  it.each([
    ["a.mp4", "", "video/mp4"],
    ["a.MKV", "", "video/x-matroska"],
    ["a.avi", "", "video/x-msvideo"],
    ["a.mov", "video/quicktime", "video/quicktime"],
  ])("content type of %s (%s) is %s", (name, type, expected) => {
    expect(contentTypeFor(name, type)).toBe(expected);
  });

  it.each([
    ["a.mp4", "video/mp4", 1, null],
    ["a.m4v", "", 1, null],
    ["a.webm", "video/webm", MAX_UPLOAD_BYTES, null],
    ["a.mp4", "video/mp4", MAX_UPLOAD_BYTES + 1, /10 GiB/],
    ["a.mp4", "video/mp4", 0, /empty/],
    ["a.gif", "image/gif", 1, /\.gif/],
    ["a.mp4", "audio/mp4", 1, /audio\/mp4/],
    ["README", "", 1, /no extension/],
  ])("%s (%s, %d bytes): %s", (name, type, size, expected) => {
    const reason = refusalReason({ name, type, size });
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toMatch(expected);
  });
});

describe("ResumeStore", () => {
  function memory() {
    const map = new Map<string, string>();
    return {
      map,
      get length() {
        return map.size;
      },
      key: (i: number) => [...map.keys()][i] ?? null,
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
  }
  const entry = (fingerprint: string, savedAt: number) => ({
    fingerprint,
    uploadId: `up-${fingerprint}`,
    fileName: "a.mp4",
    size: 10,
    lastModified: 1,
    title: "A",
    description: "",
    savedAt,
  });

  it("fingerprints name, size and modification time", () => {
    const a = fileFingerprint({ name: "a.mp4", size: 10, lastModified: 1 });
    expect(fileFingerprint({ name: "a.mp4", size: 10, lastModified: 1 })).toBe(a);
    expect(fileFingerprint({ name: "a.mp4", size: 11, lastModified: 1 })).not.toBe(a);
    expect(fileFingerprint({ name: "a.mp4", size: 10, lastModified: 2 })).not.toBe(a);
    expect(fileFingerprint({ name: "b.mp4", size: 10, lastModified: 1 })).not.toBe(a);
  });

  it("saves, lists oldest first, ignores foreign and broken keys, removes", () => {
    const storage = memory();
    const store = new ResumeStore(storage);
    store.save(entry("two", 2));
    store.save(entry("one", 1));
    storage.setItem("other.key", "{}");
    storage.setItem("reelgate.upload.broken", "{not json");
    storage.setItem("reelgate.upload.partial", JSON.stringify({ fingerprint: "partial" }));
    expect(store.list().map((e) => e.fingerprint)).toEqual(["one", "two"]);
    expect(store.get("two")?.uploadId).toBe("up-two");
    store.remove("two");
    expect(store.get("two")).toBeNull();
    expect(store.list().map((e) => e.fingerprint)).toEqual(["one"]);
  });

  it("works without storage and survives a storage that throws", () => {
    expect(new ResumeStore(null).list()).toEqual([]);
    const throwing = {
      length: 1,
      key: () => {
        throw new Error("denied");
      },
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("quota");
      },
      removeItem: () => {
        throw new Error("denied");
      },
    };
    const store = new ResumeStore(throwing);
    expect(() => store.save(entry("x", 1))).not.toThrow();
    expect(store.get("x")).toBeNull();
    expect(store.list()).toEqual([]);
  });
});
