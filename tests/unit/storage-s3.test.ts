import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  NoSuchKey,
  NoSuchUpload,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { AppError } from "@/lib/errors";
import { createS3Storage, type Storage } from "@/lib/storage";

const Bucket = "reelgate-media-test";
const meta = { $metadata: {} };

function s3Error(name: string, status = 400): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: "client",
    message: name,
    $metadata: { httpStatusCode: status },
  });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("S3 storage", () => {
  const client = new S3Client({
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIATESTTESTTEST", secretAccessKey: "test-secret" },
  });
  const s3 = mockClient(client);
  let storage: Storage;

  beforeEach(() => {
    s3.reset();
    storage = createS3Storage({ bucket: Bucket, client });
  });

  it("has no receivePart: the browser sends parts straight to S3", () => {
    expect(typeof storage.receivePart).toBe("undefined");
  });

  describe("objects", () => {
    it("put sends Bucket, Key, a sized body, and the content type", async () => {
      s3.on(PutObjectCommand).resolves(meta);
      await storage.put("media/v1/hls/master.m3u8", "#EXTM3U\n", { cacheControl: "max-age=5" });
      await storage.put("media/v1/x.bin", Readable.from([Buffer.from("ab"), Buffer.from("c")]), {
        contentType: "application/x-test",
      });
      const [first, second] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
      expect(first).toMatchObject({
        Bucket,
        Key: "media/v1/hls/master.m3u8",
        ContentLength: 8,
        ContentType: "application/vnd.apple.mpegurl",
        CacheControl: "max-age=5",
      });
      expect(second).toMatchObject({
        Key: "media/v1/x.bin",
        ContentLength: 3,
        ContentType: "application/x-test",
      });
      expect(Buffer.from(second!.Body as Buffer).toString()).toBe("abc");
    });

    it("putFile streams the file with its ContentLength", async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "reelgate-s3-"));
      try {
        const file = path.join(dir, "seg.ts");
        writeFileSync(file, Buffer.alloc(12_345, 1));
        s3.on(PutObjectCommand).resolves(meta);
        await storage.putFile("media/v1/hls/720p/seg_00001.ts", file, {
          cacheControl: "immutable",
        });
        const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
        expect(input).toMatchObject({
          Bucket,
          Key: "media/v1/hls/720p/seg_00001.ts",
          ContentLength: 12_345,
          ContentType: "video/mp2t",
          CacheControl: "immutable",
        });
        expect(input.Body).toBeInstanceOf(Readable);
        const sent = Buffer.concat(await (input.Body as Readable).toArray());
        expect(sent.equals(Buffer.alloc(12_345, 1))).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("getStream passes the Range and reports the whole size from Content-Range", async () => {
      s3.on(GetObjectCommand).resolves({
        Body: Readable.from([Buffer.from("2345")]) as never,
        ContentLength: 4,
        ContentRange: "bytes 2-5/10",
        ContentType: "video/mp2t",
        ETag: '"abc"',
      });
      const got = await storage.getStream("media/seg.ts", { start: 2, end: 5 });
      expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({
        Bucket,
        Key: "media/seg.ts",
        Range: "bytes=2-5",
      });
      expect(await text(got.body)).toBe("2345");
      expect(got.info).toMatchObject({
        key: "media/seg.ts",
        size: 10,
        contentType: "video/mp2t",
        etag: '"abc"',
      });
      expect(got.range).toEqual({ start: 2, end: 5 });

      s3.on(GetObjectCommand).resolves({
        Body: Readable.from([Buffer.from("all")]) as never,
        ContentLength: 3,
      });
      const open = await storage.getStream("media/seg.ts", { start: 7 });
      expect(s3.commandCalls(GetObjectCommand)[1]!.args[0].input.Range).toBe("bytes=7-");
      const whole = await storage.getStream("media/seg.ts");
      expect(s3.commandCalls(GetObjectCommand)[2]!.args[0].input.Range).toBeUndefined();
      expect(whole.info.size).toBe(3);
      expect(whole.range).toBeUndefined();
      open.body.destroy();
    });

    it("maps NoSuchKey to not_found and InvalidRange to bad_request", async () => {
      s3.on(GetObjectCommand).rejects(
        new NoSuchKey({ message: "gone", $metadata: { httpStatusCode: 404 } }),
      );
      expect((await rejection(storage.getStream("media/none"))).code).toBe("not_found");
      s3.on(GetObjectCommand).rejects(s3Error("InvalidRange", 416));
      expect((await rejection(storage.getStream("media/x", { start: 99 }))).code).toBe(
        "bad_request",
      );
      s3.on(GetObjectCommand).rejects(s3Error("SlowDown", 503));
      await expect(storage.getStream("media/x")).rejects.toThrow("SlowDown");
    });

    it("head maps NotFound to null and other errors through", async () => {
      s3.on(HeadObjectCommand, { Key: "a/found" }).resolves({
        ContentLength: 42,
        ContentType: "image/jpeg",
        ETag: '"e"',
        CacheControl: "max-age=60",
      });
      s3.on(HeadObjectCommand, { Key: "a/missing" }).rejects(
        new NotFound({ message: "", $metadata: { httpStatusCode: 404 } }),
      );
      s3.on(HeadObjectCommand, { Key: "a/denied" }).rejects(s3Error("AccessDenied", 403));
      expect(await storage.head("a/found")).toEqual({
        key: "a/found",
        size: 42,
        contentType: "image/jpeg",
        etag: '"e"',
        cacheControl: "max-age=60",
      });
      expect(await storage.head("a/missing")).toBeNull();
      await expect(storage.head("a/denied")).rejects.toThrow("AccessDenied");
    });

    it("downloadToFile writes the object to disk", async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "reelgate-s3-"));
      try {
        s3.on(GetObjectCommand).resolves({
          Body: Readable.from([Buffer.from("video bytes")]) as never,
          ContentLength: 11,
        });
        await storage.downloadToFile("uploads/u1/original", path.join(dir, "in.mp4"));
        expect(readFileSync(path.join(dir, "in.mp4"), "utf8")).toBe("video bytes");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("rejects unsafe keys before calling S3", async () => {
      for (const key of ["../x", "/abs", "a//b", "a\\b", ""]) {
        expect((await rejection(storage.put(key, "x"))).code).toBe("bad_request");
        expect((await rejection(storage.head(key))).code).toBe("bad_request");
      }
      expect((await rejection(storage.deletePrefix(""))).code).toBe("bad_request");
      expect(s3.calls()).toHaveLength(0);
    });
  });

  describe("list and deletePrefix", () => {
    const keys = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => ({
        Key: `media/v1/s${String(from + i).padStart(5, "0")}.ts`,
        Size: 1,
      }));

    it("list follows continuation tokens", async () => {
      s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({
        Contents: keys(2),
        IsTruncated: true,
        NextContinuationToken: "t1",
      });
      s3.on(ListObjectsV2Command, { ContinuationToken: "t1" }).resolves({
        Contents: keys(1, 2),
        IsTruncated: false,
      });
      const listed = await storage.list("media/v1/");
      expect(listed.map((o) => o.key)).toEqual(keys(3).map((k) => k.Key));
      const inputs = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input);
      expect(inputs).toEqual([
        { Bucket, Prefix: "media/v1/", ContinuationToken: undefined },
        { Bucket, Prefix: "media/v1/", ContinuationToken: "t1" },
      ]);
    });

    it("deletes across pages in batches of at most 1000", async () => {
      s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({
        Contents: keys(700),
        IsTruncated: true,
        NextContinuationToken: "p2",
      });
      s3.on(ListObjectsV2Command, { ContinuationToken: "p2" }).resolves({
        Contents: keys(700, 700),
        IsTruncated: true,
        NextContinuationToken: "p3",
      });
      s3.on(ListObjectsV2Command, { ContinuationToken: "p3" }).resolves({
        Contents: keys(650, 1400),
        IsTruncated: false,
      });
      s3.on(DeleteObjectsCommand).resolves({});
      expect(await storage.deletePrefix("media/v1/")).toBe(2050);
      const deletes = s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input);
      expect(deletes.map((d) => d.Delete?.Objects?.length)).toEqual([1000, 1000, 50]);
      expect(deletes.every((d) => d.Bucket === Bucket && d.Delete?.Quiet === true)).toBe(true);
      const deleted = deletes.flatMap((d) => d.Delete!.Objects!.map((o) => o.Key));
      expect(deleted).toEqual(keys(2050).map((k) => k.Key));
    });

    it("does not call DeleteObjects when nothing matches", async () => {
      s3.on(ListObjectsV2Command).resolves({ IsTruncated: false });
      expect(await storage.deletePrefix("media/none/")).toBe(0);
      expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    });

    it("reports the keys DeleteObjects could not delete", async () => {
      s3.on(ListObjectsV2Command).resolves({ Contents: keys(3), IsTruncated: false });
      s3.on(DeleteObjectsCommand).resolves({
        Errors: [{ Key: "media/v1/s00001.ts", Code: "AccessDenied", Message: "Access Denied" }],
      });
      await expect(storage.deletePrefix("media/v1/")).rejects.toThrow(
        /1 of 3 .*media\/v1\/s00001\.ts \(AccessDenied/,
      );
    });
  });

  describe("multipart", () => {
    const Key = "uploads/u1/original";
    const UploadId = "upload-id-from-s3";

    it("createMultipart returns S3's UploadId", async () => {
      s3.on(CreateMultipartUploadCommand).resolves({ UploadId });
      expect(await storage.createMultipart(Key, "video/mp4")).toEqual({ multipartId: UploadId });
      expect(s3.commandCalls(CreateMultipartUploadCommand)[0]!.args[0].input).toEqual({
        Bucket,
        Key,
        ContentType: "video/mp4",
      });
    });

    it("partUrl presigns UploadPart for the bucket, key, part and upload", async () => {
      const target = await storage.partUrl({
        key: Key,
        multipartId: "abc/+=",
        partNumber: 7,
        uploadId: "app-upload",
        expiresIn: 900,
      });
      expect(target.method).toBe("PUT");
      const url = new URL(target.url);
      expect(url.hostname).toBe(`${Bucket}.s3.eu-west-1.amazonaws.com`);
      expect(url.pathname).toBe(`/${Key}`);
      expect(url.searchParams.get("partNumber")).toBe("7");
      expect(url.searchParams.get("uploadId")).toBe("abc/+=");
      expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
      expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
      expect(s3.calls()).toHaveLength(0);
      expect(
        (
          await rejection(
            storage.partUrl({ key: Key, multipartId: "x", partNumber: 10_001, uploadId: "u" }),
          )
        ).code,
      ).toBe("bad_request");
    });

    it("the app's own client presigns without a body checksum the browser could not match", async () => {
      vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIATESTTESTTEST");
      vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test-secret");
      try {
        const real = createS3Storage({ bucket: Bucket, region: "us-east-2" });
        const url = new URL(
          (await real.partUrl({ key: Key, multipartId: UploadId, partNumber: 1, uploadId: "u" }))
            .url,
        );
        expect(url.hostname).toBe(`${Bucket}.s3.us-east-2.amazonaws.com`);
        expect(url.searchParams.get("X-Amz-Expires")).toBe("3600");
        expect(
          [...url.searchParams.keys()].filter((k) => k.toLowerCase().includes("checksum")),
        ).toEqual([]);
      } finally {
        vi.unstubAllEnvs();
      }
    });

    it("listParts pages through the parts", async () => {
      s3.on(ListPartsCommand, { PartNumberMarker: undefined }).resolves({
        Parts: [
          { PartNumber: 1, ETag: '"a"', Size: 5 },
          { PartNumber: 2, ETag: '"b"', Size: 5 },
        ],
        IsTruncated: true,
        NextPartNumberMarker: "2",
      });
      s3.on(ListPartsCommand, { PartNumberMarker: "2" }).resolves({
        Parts: [{ PartNumber: 3, ETag: '"c"', Size: 1 }],
        IsTruncated: false,
      });
      expect(await storage.listParts(Key, UploadId)).toEqual([
        { partNumber: 1, etag: '"a"', size: 5 },
        { partNumber: 2, etag: '"b"', size: 5 },
        { partNumber: 3, etag: '"c"', size: 1 },
      ]);
      expect(s3.commandCalls(ListPartsCommand)[0]!.args[0].input).toMatchObject({
        Bucket,
        Key,
        UploadId,
      });
      s3.on(ListPartsCommand).rejects(
        new NoSuchUpload({ message: "", $metadata: { httpStatusCode: 404 } }),
      );
      expect((await rejection(storage.listParts(Key, "gone"))).code).toBe("not_found");
    });

    it("complete sends the parts sorted with quoted ETags and returns the object's info", async () => {
      s3.on(CompleteMultipartUploadCommand).resolves({ ETag: '"x-3"' });
      s3.on(HeadObjectCommand).resolves({
        ContentLength: 123,
        ContentType: "video/mp4",
        ETag: '"x-3"',
      });
      const info = await storage.completeMultipart(Key, UploadId, [
        { partNumber: 3, etag: "c" },
        { partNumber: 1, etag: '"a"' },
        { partNumber: 2, etag: '"b"' },
      ]);
      expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input).toEqual({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: '"a"' },
            { PartNumber: 2, ETag: '"b"' },
            { PartNumber: 3, ETag: '"c"' },
          ],
        },
      });
      expect(info).toEqual({ key: Key, size: 123, contentType: "video/mp4", etag: '"x-3"' });
    });

    it("maps completion errors", async () => {
      const parts = [{ partNumber: 1, etag: '"a"' }];
      const noUpload = new NoSuchUpload({ message: "", $metadata: { httpStatusCode: 404 } });

      s3.on(CompleteMultipartUploadCommand).rejects(noUpload);
      s3.on(HeadObjectCommand).resolves({ ContentLength: 1 });
      expect((await rejection(storage.completeMultipart(Key, UploadId, parts))).code).toBe(
        "conflict",
      );

      s3.on(HeadObjectCommand).rejects(
        new NotFound({ message: "", $metadata: { httpStatusCode: 404 } }),
      );
      expect((await rejection(storage.completeMultipart(Key, UploadId, parts))).code).toBe(
        "not_found",
      );

      for (const code of ["InvalidPart", "EntityTooSmall", "InvalidPartOrder"]) {
        s3.on(CompleteMultipartUploadCommand).rejects(s3Error(code));
        expect((await rejection(storage.completeMultipart(Key, UploadId, parts))).code).toBe(
          "unprocessable",
        );
      }
      s3.on(CompleteMultipartUploadCommand).rejects(s3Error("InternalError", 500));
      await expect(storage.completeMultipart(Key, UploadId, parts)).rejects.toThrow(
        "InternalError",
      );

      expect((await rejection(storage.completeMultipart(Key, UploadId, []))).code).toBe(
        "unprocessable",
      );
    });

    it("abort sends the upload id and ignores an upload that is already gone", async () => {
      s3.on(AbortMultipartUploadCommand).resolves({});
      await storage.abortMultipart(Key, UploadId);
      expect(s3.commandCalls(AbortMultipartUploadCommand)[0]!.args[0].input).toEqual({
        Bucket,
        Key,
        UploadId,
      });
      s3.on(AbortMultipartUploadCommand).rejects(
        new NoSuchUpload({ message: "", $metadata: { httpStatusCode: 404 } }),
      );
      await expect(storage.abortMultipart(Key, UploadId)).resolves.toBeUndefined();
      s3.on(AbortMultipartUploadCommand).rejects(s3Error("AccessDenied", 403));
      await expect(storage.abortMultipart(Key, UploadId)).rejects.toThrow("AccessDenied");
    });
  });

  it("check() lists one key under media/ (the role may not HeadBucket)", async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    expect(await storage.check()).toEqual({ ok: true });
    expect(s3.commandCalls(ListObjectsV2Command)[0]!.args[0].input).toEqual({
      Bucket,
      Prefix: "media/",
      MaxKeys: 1,
    });
    s3.on(ListObjectsV2Command).rejects(s3Error("AccessDenied", 403));
    expect(await storage.check()).toEqual({
      ok: false,
      detail: "bucket not reachable (AccessDenied)",
    });
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
});
