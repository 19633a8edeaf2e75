import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { assertSafeKey, assertSafePrefix } from "@/lib/storage";
import { resolveRange } from "@/lib/storage/resolve-range";
import { normalizeCompletedParts, quoteEtag } from "@/lib/storage/multipart-rules";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : "other";
  }
  return undefined;
}

describe("assertSafeKey", () => {
  it.each([
    "uploads/abc123/original",
    "media/videos/v1/hls/master.m3u8",
    "media/videos/v1/hls/720p/seg_00001.ts",
    "media/videos/v1/poster.jpg",
    "a",
    "a..b/c",
    "ünïcode/名前",
  ])("accepts %j", (key) => {
    expect(assertSafeKey(key)).toBe(key);
  });

  it.each([
    ["empty", ""],
    ["parent segment", "../etc/passwd"],
    ["parent in the middle", "media/../../etc"],
    ["parent at the end", "media/.."],
    ["current segment", "media/./x"],
    ["leading slash", "/etc/passwd"],
    ["backslash", "media\\..\\x"],
    ["NUL", "media/x\u0000.jpg"],
    ["newline", "media/x\n.jpg"],
    ["empty segment", "media//x"],
    ["trailing slash", "media/x/"],
    ["hidden segment", "media/.meta/x"],
    ["internal folder", ".multipart/abc/1"],
    ["too long", `media/${"x".repeat(1100)}`],
  ])("rejects %s", (_label, key) => {
    expect(codeOf(() => assertSafeKey(key))).toBe("bad_request");
  });

  it("counts the length limit in UTF-8 bytes", () => {
    expect(codeOf(() => assertSafeKey("é".repeat(512)))).toBeUndefined();
    expect(codeOf(() => assertSafeKey("é".repeat(513)))).toBe("bad_request");
  });
});

describe("assertSafePrefix", () => {
  it.each(["media/videos/v1/", "media/vid", "uploads/"])("accepts %j", (prefix) => {
    expect(assertSafePrefix(prefix)).toBe(prefix);
  });

  it("allows the empty prefix only when asked", () => {
    expect(codeOf(() => assertSafePrefix(""))).toBe("bad_request");
    expect(assertSafePrefix("", { allowEmpty: true })).toBe("");
  });

  it.each(["/", "../", "media//", "media/../", "/media/", "media\\"])("rejects %j", (prefix) => {
    expect(codeOf(() => assertSafePrefix(prefix))).toBe("bad_request");
  });
});

describe("resolveRange", () => {
  it.each([
    [{ start: 0 }, 10, { start: 0, end: 9 }],
    [{ start: 3, end: 5 }, 10, { start: 3, end: 5 }],
    [{ start: 9, end: 9 }, 10, { start: 9, end: 9 }],
    [{ start: 5, end: 100 }, 10, { start: 5, end: 9 }],
  ])("%j of %i bytes", (range, size, expected) => {
    expect(resolveRange(range, size)).toEqual(expected);
  });

  it("refuses a range starting at or past the end, with the 416 Content-Range", () => {
    try {
      resolveRange({ start: 10 }, 10);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).headers["Content-Range"]).toBe("bytes */10");
    }
  });

  it.each([{ start: -1 }, { start: 1.5 }, { start: 5, end: 4 }, { start: Number.NaN }])(
    "rejects %j",
    (range) => {
      expect(codeOf(() => resolveRange(range, 100))).toBe("bad_request");
    },
  );
});

describe("normalizeCompletedParts", () => {
  it("sorts by part number and quotes ETags", () => {
    expect(
      normalizeCompletedParts([
        { partNumber: 3, etag: "c" },
        { partNumber: 1, etag: '"a"' },
        { partNumber: 2, etag: 'W/"b"' },
      ]),
    ).toEqual([
      { partNumber: 1, etag: '"a"' },
      { partNumber: 2, etag: '"b"' },
      { partNumber: 3, etag: '"c"' },
    ]);
  });

  it.each([
    ["no parts", []],
    [
      "a duplicate",
      [
        { partNumber: 1, etag: "a" },
        { partNumber: 1, etag: "b" },
      ],
    ],
    ["an empty ETag", [{ partNumber: 1, etag: "" }]],
  ])("rejects %s as unprocessable", (_label, parts) => {
    expect(codeOf(() => normalizeCompletedParts(parts))).toBe("unprocessable");
  });

  it.each([0, 10_001, 1.5])("rejects part number %d", (partNumber) => {
    expect(codeOf(() => normalizeCompletedParts([{ partNumber, etag: "a" }]))).toBe("bad_request");
  });

  it("quoteEtag is idempotent", () => {
    expect(quoteEtag(quoteEtag("abc"))).toBe('"abc"');
  });
});
