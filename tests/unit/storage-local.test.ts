import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { AppError } from "@/lib/errors";
import { createLocalStorage, type Storage } from "@/lib/storage";

const md5 = (data: Buffer | string) => createHash("md5").update(data).digest("hex");

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** Every file under dir, relative, "/"-separated. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

describe("local storage", () => {
  let tmp: string;
  let root: string;
  let storage: Storage;
  let receive: NonNullable<Storage["receivePart"]>;

  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "reelgate-storage-"));
    root = path.join(tmp, "bucket");
    storage = createLocalStorage(root, { minPartBytes: 4 });
    receive = storage.receivePart!.bind(storage);
  });
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  describe("objects", () => {
    it("puts and reads back a buffer, a string and a stream, with their info", async () => {
      await storage.put("media/a.m3u8", "#EXTM3U\n", {
        contentType: "application/vnd.apple.mpegurl",
        cacheControl: "max-age=5",
      });
      await storage.put("media/b.bin", Buffer.from([1, 2, 3]));
      await storage.put("media/c.txt", Readable.from([Buffer.from("hel"), Buffer.from("lo")]));

      const a = await storage.getStream("media/a.m3u8");
      expect(await text(a.body)).toBe("#EXTM3U\n");
      expect(a.info).toMatchObject({
        key: "media/a.m3u8",
        size: 8,
        contentType: "application/vnd.apple.mpegurl",
        cacheControl: "max-age=5",
        etag: `"${md5("#EXTM3U\n")}"`,
      });
      expect(a.info.lastModified).toBeInstanceOf(Date);
      expect(a.range).toBeUndefined();

      expect(readFileSync(path.join(root, "media/b.bin"))).toEqual(Buffer.from([1, 2, 3]));
      expect(await text((await storage.getStream("media/c.txt")).body)).toBe("hello");
      // No content type given: guessed from the extension, as S3 needs one stored.
      expect((await storage.head("media/c.txt"))?.contentType).toBe("text/plain; charset=utf-8");
    });

    it("overwrites an object and its etag", async () => {
      await storage.put("k/x", "one");
      await storage.put("k/x", "two!");
      const info = await storage.head("k/x");
      expect(info?.size).toBe(4);
      expect(info?.etag).toBe(`"${md5("two!")}"`);
    });

    it("serves byte ranges with the whole size in info", async () => {
      await storage.put("media/seg.ts", "0123456789");
      const mid = await storage.getStream("media/seg.ts", { start: 2, end: 5 });
      expect(await text(mid.body)).toBe("2345");
      expect(mid.range).toEqual({ start: 2, end: 5 });
      expect(mid.info.size).toBe(10);

      const tail = await storage.getStream("media/seg.ts", { start: 7 });
      expect(await text(tail.body)).toBe("789");
      expect(tail.range).toEqual({ start: 7, end: 9 });

      const clamped = await storage.getStream("media/seg.ts", { start: 8, end: 1000 });
      expect(await text(clamped.body)).toBe("89");

      const err = await rejection(storage.getStream("media/seg.ts", { start: 10 }));
      expect(err.code).toBe("bad_request");
      expect(err.headers["Content-Range"]).toBe("bytes */10");
    });

    it("reports missing objects as null / not_found", async () => {
      expect(await storage.head("nope/x")).toBeNull();
      expect((await rejection(storage.getStream("nope/x"))).code).toBe("not_found");
      await storage.put("dir/file", "x");
      // A folder is not an object.
      expect(await storage.head("dir")).toBeNull();
      expect((await rejection(storage.getStream("dir"))).code).toBe("not_found");
    });

    it("putFile and downloadToFile copy whole files", async () => {
      const src = path.join(tmp, "src.bin");
      const data = Buffer.alloc(300_000, 7);
      writeFileSync(src, data);
      await storage.putFile("media/v/poster.jpg", src);
      expect((await storage.head("media/v/poster.jpg"))?.contentType).toBe("image/jpeg");

      const dest = path.join(tmp, "out", "copy.bin");
      rmSync(path.dirname(dest), { recursive: true, force: true });
      await storage.downloadToFile("media/v/poster.jpg", dest);
      expect(readFileSync(dest).equals(data)).toBe(true);
      expect(readdirSync(path.dirname(dest))).toEqual(["copy.bin"]);
    });

    it("a failing stream leaves neither the object nor a temp file", async () => {
      await storage.put("media/keep", "old");
      const broken = new Readable({
        read() {
          this.push(Buffer.from("partial"));
          this.destroy(new Error("connection reset"));
        },
      });
      await expect(storage.put("media/keep", broken)).rejects.toThrow("connection reset");
      await expect(
        storage.put(
          "media/new",
          Readable.from(
            (async function* () {
              yield Buffer.from("x");
              await new Promise((r) => setImmediate(r));
              throw new Error("boom");
            })(),
          ),
        ),
      ).rejects.toThrow("boom");
      expect(await text((await storage.getStream("media/keep")).body)).toBe("old");
      expect(await storage.head("media/new")).toBeNull();
      expect(filesUnder(root).filter((f) => !f.startsWith(".meta/"))).toEqual(["media/keep"]);
    });

    it("lists by prefix, sorted, skipping internal files", async () => {
      for (const key of [
        "media/v2/b",
        "media/v1/hls/a.ts",
        "media/v1/poster.jpg",
        "media/v10/x",
        "uploads/u1",
      ]) {
        await storage.put(key, key);
      }
      await storage.createMultipart("uploads/u2", "video/mp4");
      const keys = async (p: string) => (await storage.list(p)).map((o) => o.key);
      expect(await keys("media/v1/")).toEqual(["media/v1/hls/a.ts", "media/v1/poster.jpg"]);
      expect(await keys("media/v1")).toEqual([
        "media/v1/hls/a.ts",
        "media/v1/poster.jpg",
        "media/v10/x",
      ]);
      expect(await keys("media/v1/hls/a")).toEqual(["media/v1/hls/a.ts"]);
      expect(await keys("")).toEqual([
        "media/v1/hls/a.ts",
        "media/v1/poster.jpg",
        "media/v10/x",
        "media/v2/b",
        "uploads/u1",
      ]);
      expect(await keys("missing/")).toEqual([]);
      const [first] = await storage.list("media/v1/hls/");
      expect(first).toMatchObject({
        key: "media/v1/hls/a.ts",
        size: 17,
        contentType: "video/mp2t",
      });
    });

    it("deletePrefix removes the objects, their metadata and empty folders only", async () => {
      for (const key of [
        "media/v1/hls/master.m3u8",
        "media/v1/hls/720p/s1.ts",
        "media/v1/poster.jpg",
        "media/v10/poster.jpg",
      ]) {
        await storage.put(key, "x");
      }
      expect(await storage.deletePrefix("media/v1/")).toBe(3);
      expect(await storage.list("")).toHaveLength(1);
      expect(filesUnder(root)).toEqual([".meta/media/v10/poster.jpg.json", "media/v10/poster.jpg"]);
      expect(existsSync(path.join(root, "media/v1"))).toBe(false);
      expect(existsSync(path.join(root, ".meta/media/v1"))).toBe(false);
      expect(await storage.deletePrefix("media/v1/")).toBe(0);
      expect((await rejection(storage.deletePrefix(""))).code).toBe("bad_request");
    });

    it("rejects keys that would leave the bucket, touching nothing outside it", async () => {
      const outside = path.join(tmp, "outside.txt");
      writeFileSync(outside, "secret");
      const bad = [
        "../outside.txt",
        "media/../../outside.txt",
        "/etc/passwd",
        "media\\..\\..\\x",
        ".meta/x",
        "a//b",
      ];
      for (const key of bad) {
        expect((await rejection(storage.put(key, "pwned"))).code).toBe("bad_request");
        expect((await rejection(storage.getStream(key))).code).toBe("bad_request");
        expect((await rejection(storage.head(key))).code).toBe("bad_request");
        expect((await rejection(storage.createMultipart(key, "video/mp4"))).code).toBe(
          "bad_request",
        );
      }
      expect((await rejection(storage.deletePrefix("../"))).code).toBe("bad_request");
      expect((await rejection(storage.list("../"))).code).toBe("bad_request");
      expect(readFileSync(outside, "utf8")).toBe("secret");
      expect(filesUnder(root)).toEqual([]);
    });

    it("maps a key that clashes with a folder to conflict", async () => {
      await storage.put("a/b", "x");
      expect((await rejection(storage.put("a", "y"))).code).toBe("conflict");
      await storage.put("f", "x");
      expect((await rejection(storage.put("f/g", "y"))).code).toBe("conflict");
    });

    it("check() writes to the bucket folder", async () => {
      expect(await storage.check()).toEqual({ ok: true });
      expect(filesUnder(root)).toEqual([]);
      writeFileSync(path.join(tmp, "file"), "");
      const broken = createLocalStorage(path.join(tmp, "file", "bucket"));
      expect((await broken.check()).ok).toBe(false);
    });
  });

  describe("multipart", () => {
    const key = "uploads/up1/original";

    it("returns the same-origin API URL for parts", async () => {
      const { multipartId } = await storage.createMultipart(key, "video/mp4");
      expect(multipartId).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
      expect(
        await storage.partUrl({ key, multipartId, partNumber: 7, uploadId: "abc-123" }),
      ).toEqual({
        url: "/api/admin/uploads/abc-123/parts/7",
        method: "PUT",
      });
      for (const partNumber of [0, 10_001, 2.5]) {
        expect(
          (await rejection(storage.partUrl({ key, multipartId, partNumber, uploadId: "u" }))).code,
        ).toBe("bad_request");
      }
    });

    it("joins parts in part-number order whatever order they arrive in", async () => {
      const { multipartId } = await storage.createMultipart(key, "video/mp4");
      const bodies = ["AAAAA", "BBBBBB", "CC"];
      // Part 3 first, part 1 as a web stream (what a route handler gets as request.body).
      const p3 = await receive(key, multipartId, 3, Readable.from([Buffer.from(bodies[2]!)]), 100);
      const p1 = await receive(key, multipartId, 1, new Blob([bodies[0]!]).stream(), 100);
      const p2 = await receive(key, multipartId, 2, Readable.from([Buffer.from(bodies[1]!)]), 100);
      expect(p1).toEqual({ etag: `"${md5(bodies[0]!)}"`, size: 5 });
      expect(p3.size).toBe(2);

      const info = await storage.completeMultipart(key, multipartId, [
        { partNumber: 2, etag: p2.etag },
        { partNumber: 1, etag: p1.etag.replaceAll('"', "") },
        { partNumber: 3, etag: p3.etag },
      ]);
      expect(info).toMatchObject({ key, size: 13, contentType: "video/mp4" });
      // S3's multipart ETag: md5 of the binary part md5s, "-" part count.
      const joinedDigests = Buffer.concat(bodies.map((b) => createHash("md5").update(b).digest()));
      expect(info.etag).toBe(`"${md5(joinedDigests)}-3"`);
      expect(await text((await storage.getStream(key)).body)).toBe("AAAAABBBBBBCC");
      expect(existsSync(path.join(root, ".multipart", multipartId))).toBe(false);
    });

    it("lists received parts so a reloaded page can resume", async () => {
      const { multipartId } = await storage.createMultipart(key, "video/mp4");
      expect(await storage.listParts(key, multipartId)).toEqual([]);
      const p2 = await receive(key, multipartId, 2, Readable.from([Buffer.from("bbbb")]), 100);
      const p1 = await receive(key, multipartId, 1, Readable.from([Buffer.from("aaaa")]), 100);
      expect(await storage.listParts(key, multipartId)).toEqual([
        { partNumber: 1, etag: p1.etag, size: 4 },
        { partNumber: 2, etag: p2.etag, size: 4 },
      ]);
      // Resending a part replaces it.
      const again = await receive(key, multipartId, 2, Readable.from([Buffer.from("BBBBB")]), 100);
      expect((await storage.listParts(key, multipartId))[1]).toEqual({
        partNumber: 2,
        etag: again.etag,
        size: 5,
      });
      const parts = await storage.listParts(key, multipartId);
      await storage.completeMultipart(key, multipartId, parts);
      expect(await text((await storage.getStream(key)).body)).toBe("aaaaBBBBB");
    });

    it("refuses to complete with a missing part or a wrong ETag, naming the part", async () => {
      const { multipartId } = await storage.createMultipart(key, "video/mp4");
      const p1 = await receive(key, multipartId, 1, Readable.from([Buffer.from("aaaa")]), 100);
      const missing = await rejection(
        storage.completeMultipart(
          key,
          multipartId,
          [p1, { partNumber: 2, etag: '"abc"' }].map((p, i) => ({
            partNumber: i + 1,
            etag: p.etag,
          })),
        ),
      );
      expect(missing.code).toBe("unprocessable");
      expect(missing.message).toContain("Part 2");
      const wrong = await rejection(
        storage.completeMultipart(key, multipartId, [{ partNumber: 1, etag: `"${md5("other")}"` }]),
      );
      expect(wrong.code).toBe("unprocessable");
      expect(wrong.message).toContain("Part 1");
      expect(await storage.head(key)).toBeNull();
      // The upload is still open and can be completed properly.
      await storage.completeMultipart(key, multipartId, [{ partNumber: 1, etag: p1.etag }]);
      expect((await storage.head(key))?.size).toBe(4);
    });

    it("enforces S3's 5 MiB minimum for every part but the last by default", async () => {
      const strict = createLocalStorage(root);
      const { multipartId } = await strict.createMultipart(key, "video/mp4");
      const a = await strict.receivePart!(
        key,
        multipartId,
        1,
        Readable.from([Buffer.from("small")]),
        100,
      );
      const b = await strict.receivePart!(
        key,
        multipartId,
        2,
        Readable.from([Buffer.from("last")]),
        100,
      );
      const err = await rejection(
        strict.completeMultipart(key, multipartId, [
          { partNumber: 1, etag: a.etag },
          { partNumber: 2, etag: b.etag },
        ]),
      );
      expect(err.code).toBe("unprocessable");
      expect(err.message).toContain("Part 1");
      // A single small part is fine: it is the last one.
      const single = await strict.createMultipart("uploads/up2/original", "video/mp4");
      const only = await strict.receivePart!(
        "uploads/up2/original",
        single.multipartId,
        1,
        Readable.from([Buffer.from("tiny")]),
        100,
      );
      await strict.completeMultipart("uploads/up2/original", single.multipartId, [
        { partNumber: 1, etag: only.etag },
      ]);
    });

    it("completing twice is a conflict; an unknown upload is not_found", async () => {
      const { multipartId } = await storage.createMultipart(key, "video/mp4");
      const p1 = await receive(key, multipartId, 1, Readable.from([Buffer.from("aaaa")]), 100);
      await storage.completeMultipart(key, multipartId, [{ partNumber: 1, etag: p1.etag }]);
      const twice = await rejection(
        storage.completeMultipart(key, multipartId, [{ partNumber: 1, etag: p1.etag }]),
      );
      expect(twice.code).toBe("conflict");
      const unknown = await rejection(
        storage.completeMultipart("uploads/other/original", "AAAAAAAAAAAAAAAAAAAAAAAA", [
          { partNumber: 1, etag: p1.etag },
        ]),
      );
      expect(unknown.code).toBe("not_found");
      expect((await rejection(storage.listParts(key, multipartId))).code).toBe("not_found");
    });

    it("ties an upload id to its key and refuses malformed ids", async () => {
      const { multipartId } = await storage.createMultipart(key, "video/mp4");
      const wrongKey = await rejection(
        receive("uploads/other/original", multipartId, 1, Readable.from([Buffer.from("x")]), 10),
      );
      expect(wrongKey.code).toBe("not_found");
      for (const id of ["../../etc", "..", "a/b", "short"]) {
        expect((await rejection(storage.listParts(key, id))).code).toBe("not_found");
        expect(
          (await rejection(receive(key, id, 1, Readable.from([Buffer.from("x")]), 10))).code,
        ).toBe("not_found");
      }
    });

    it("refuses a part over maxBytes and keeps no trace of it", async () => {
      const { multipartId } = await storage.createMultipart(key, "video/mp4");
      const err = await rejection(
        receive(key, multipartId, 1, Readable.from([Buffer.alloc(60), Buffer.alloc(60)]), 100),
      );
      expect(err.code).toBe("payload_too_large");
      expect(await storage.listParts(key, multipartId)).toEqual([]);
      expect(readdirSync(path.join(root, ".multipart", multipartId))).toEqual(["upload.json"]);
    });

    it("a broken part upload leaves no partial part behind", async () => {
      const { multipartId } = await storage.createMultipart(key, "video/mp4");
      const broken = Readable.from(
        (async function* () {
          yield Buffer.from("half a part");
          await new Promise((r) => setImmediate(r));
          throw new Error("client went away");
        })(),
      );
      await expect(receive(key, multipartId, 1, broken, 100)).rejects.toThrow("client went away");
      expect(await storage.listParts(key, multipartId)).toEqual([]);
      expect(readdirSync(path.join(root, ".multipart", multipartId))).toEqual(["upload.json"]);
    });

    it("abort removes the parts, is idempotent, and stops later parts", async () => {
      const { multipartId } = await storage.createMultipart(key, "video/mp4");
      await receive(key, multipartId, 1, Readable.from([Buffer.from("aaaa")]), 100);
      await storage.abortMultipart(key, multipartId);
      expect(existsSync(path.join(root, ".multipart", multipartId))).toBe(false);
      await storage.abortMultipart(key, multipartId);
      expect(
        (await rejection(receive(key, multipartId, 2, Readable.from([Buffer.from("b")]), 100)))
          .code,
      ).toBe("not_found");
      expect(existsSync(path.join(root, ".multipart", multipartId))).toBe(false);
      expect(
        (
          await rejection(
            storage.completeMultipart(key, multipartId, [{ partNumber: 1, etag: "x" }]),
          )
        ).code,
      ).toBe("not_found");
    });

    it("takes many parts concurrently", async () => {
      const { multipartId } = await storage.createMultipart(key, "video/mp4");
      const chunks = Array.from({ length: 24 }, (_, i) =>
        Buffer.alloc(64 * 1024 + i, 65 + (i % 26)),
      );
      const slowly = (buf: Buffer) =>
        Readable.from(
          (async function* () {
            for (let o = 0; o < buf.length; o += 8192) {
              await new Promise((r) => setTimeout(r, Math.random() * 3));
              yield buf.subarray(o, o + 8192);
            }
          })(),
        );
      const results = await Promise.all(
        chunks.map((c, i) => receive(key, multipartId, i + 1, slowly(c), 1024 * 1024)),
      );
      // The same part sent twice at once (a retry racing the original) still ends whole.
      await Promise.all([
        receive(key, multipartId, 5, slowly(chunks[4]!), 1024 * 1024),
        receive(key, multipartId, 5, slowly(chunks[4]!), 1024 * 1024),
      ]);
      const listed = await storage.listParts(key, multipartId);
      expect(listed.map((p) => p.partNumber)).toEqual(chunks.map((_, i) => i + 1));
      expect(listed.map((p) => p.etag)).toEqual(results.map((r) => r.etag));
      await storage.completeMultipart(key, multipartId, listed);
      const stored = readFileSync(path.join(root, key));
      expect(stored.equals(Buffer.concat(chunks))).toBe(true);
    });
  });
});
