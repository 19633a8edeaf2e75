import "server-only";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { AppError } from "@/lib/errors";
import { assertSafeKey, assertSafePrefix } from "./assert-safe-key";
import { writeFileAtomic } from "./atomic-write";
import { guessContentType } from "./content-type";
import { assertPartNumber, normalizeCompletedParts } from "./multipart-rules";
import { assertRange } from "./resolve-range";
import { isMissingObject, isMissingUpload, s3ErrorCode } from "./s3-errors";
import type { ObjectInfo, PutBody, Storage, UploadedPart } from "./types";

/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;
/** PutObject's limit; bigger files must go through a multipart upload. */
const MAX_PUT_BYTES = 5 * 1024 ** 3;
const DEFAULT_PART_URL_TTL = 3600;
/** SigV4 presigned URLs cannot outlive seven days. */
const MAX_PART_URL_TTL = 7 * 24 * 3600;

export interface S3StorageOptions {
  bucket: string;
  region?: string;
  /** Injected in tests; otherwise built once with `createS3Client`. */
  client?: S3Client;
}

/**
 * The S3 client the app uses: credentials from the default provider chain only (task
 * role, instance profile, SSO, env), never from app config.
 */
export function createS3Client(region?: string): S3Client {
  return new S3Client({
    ...(region ? { region } : {}),
    // Since SDK 3.729 the default ("WHEN_SUPPORTED") presigns UploadPart with
    // x-amz-checksum-crc32 of an EMPTY body, so every browser PUT of a real part fails
    // the checksum. Checksums are then sent only where S3 requires them (DeleteObjects).
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
}

async function toBuffer(body: PutBody): Promise<Buffer> {
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** "bytes 0-99/1234" -> start, end and total. */
function parseContentRange(value: string | undefined) {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value ?? "");
  return m ? { start: Number(m[1]), end: Number(m[2]), total: Number(m[3]) } : undefined;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The media bucket on S3. Parts go from the browser straight to S3 via presigned URLs. */
export function createS3Storage(opts: S3StorageOptions): Storage {
  const Bucket = opts.bucket;
  const client = opts.client ?? createS3Client(opts.region);

  async function head(key: string): Promise<ObjectInfo | null> {
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket, Key: assertSafeKey(key) }));
      return defined({
        key,
        size: out.ContentLength ?? 0,
        contentType: out.ContentType,
        cacheControl: out.CacheControl,
        etag: out.ETag,
        lastModified: out.LastModified,
      });
    } catch (err) {
      if (isMissingObject(err)) return null;
      throw err;
    }
  }

  async function getStream(key: string, range?: { start: number; end?: number }) {
    assertSafeKey(key);
    if (range) assertRange(range);
    let out;
    try {
      out = await client.send(
        new GetObjectCommand({
          Bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end ?? ""}` } : {}),
        }),
      );
    } catch (err) {
      if (isMissingObject(err)) throw new AppError("not_found", "No such object.");
      if (s3ErrorCode(err) === "InvalidRange") {
        throw new AppError("bad_request", "Requested range not satisfiable.");
      }
      throw err;
    }
    if (!(out.Body instanceof Readable)) throw new Error("S3 GetObject returned no Node stream");
    const served = parseContentRange(out.ContentRange);
    const info: ObjectInfo = defined({
      key,
      size: served?.total ?? out.ContentLength ?? 0,
      contentType: out.ContentType,
      cacheControl: out.CacheControl,
      etag: out.ETag,
      lastModified: out.LastModified,
    });
    return {
      body: out.Body,
      info,
      ...(served ? { range: { start: served.start, end: served.end } } : {}),
    };
  }

  async function list(prefix: string): Promise<ObjectInfo[]> {
    assertSafePrefix(prefix, { allowEmpty: true });
    const found: ObjectInfo[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken }),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        found.push(
          defined({ key: o.Key, size: o.Size ?? 0, etag: o.ETag, lastModified: o.LastModified }),
        );
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return found;
  }

  return {
    async put(key, body, options = {}) {
      // PutObject needs a known length; streams given here are small (playlists, posters).
      const data = await toBuffer(body);
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: assertSafeKey(key),
          Body: data,
          ContentLength: data.length,
          ContentType: options.contentType ?? guessContentType(key),
          ...(options.cacheControl ? { CacheControl: options.cacheControl } : {}),
        }),
      );
    },

    async putFile(key, filePath, options = {}) {
      assertSafeKey(key);
      const { size } = await stat(filePath);
      if (size > MAX_PUT_BYTES)
        throw new Error(`putFile: ${filePath} is over the 5 GiB PutObject limit`);
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: createReadStream(filePath),
          ContentLength: size,
          ContentType: options.contentType ?? guessContentType(key),
          ...(options.cacheControl ? { CacheControl: options.cacheControl } : {}),
        }),
      );
    },

    getStream,
    head,

    async downloadToFile(key, filePath) {
      const { body } = await getStream(key);
      await writeFileAtomic(body, path.resolve(filePath));
    },

    list,

    async deletePrefix(prefix) {
      assertSafePrefix(prefix);
      const keys = (await list(prefix)).map((o) => o.key);
      const failures: string[] = [];
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const batch = keys.slice(i, i + DELETE_BATCH);
        const out = await client.send(
          new DeleteObjectsCommand({
            Bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        // DeleteObjects answers 200 even when some keys fail; the failures are in Errors.
        for (const e of out.Errors ?? []) failures.push(`${e.Key} (${e.Code}: ${e.Message})`);
      }
      if (failures.length > 0) {
        throw new Error(
          `S3 could not delete ${failures.length} of ${keys.length} objects under ${prefix}: ` +
            failures.slice(0, 5).join(", "),
        );
      }
      return keys.length;
    },

    async createMultipart(key, contentType) {
      const out = await client.send(
        new CreateMultipartUploadCommand({
          Bucket,
          Key: assertSafeKey(key),
          ContentType: contentType,
        }),
      );
      if (!out.UploadId) throw new Error("S3 CreateMultipartUpload returned no UploadId");
      return { multipartId: out.UploadId };
    },

    async partUrl({ key, multipartId, partNumber, expiresIn = DEFAULT_PART_URL_TTL }) {
      const ttl = Math.min(Math.max(1, Math.floor(expiresIn)), MAX_PART_URL_TTL);
      const command = new UploadPartCommand({
        Bucket,
        Key: assertSafeKey(key),
        UploadId: multipartId,
        PartNumber: assertPartNumber(partNumber),
      });
      return { url: await getSignedUrl(client, command, { expiresIn: ttl }), method: "PUT" };
    },

    async listParts(key, multipartId) {
      assertSafeKey(key);
      const parts: UploadedPart[] = [];
      let PartNumberMarker: string | undefined;
      try {
        for (;;) {
          const page = await client.send(
            new ListPartsCommand({ Bucket, Key: key, UploadId: multipartId, PartNumberMarker }),
          );
          for (const p of page.Parts ?? []) {
            if (p.PartNumber && p.ETag) {
              parts.push({ partNumber: p.PartNumber, etag: p.ETag, size: p.Size ?? 0 });
            }
          }
          if (!page.IsTruncated || !page.NextPartNumberMarker) break;
          PartNumberMarker = page.NextPartNumberMarker;
        }
      } catch (err) {
        if (isMissingUpload(err)) throw new AppError("not_found", "No such upload.");
        throw err;
      }
      return parts.sort((a, b) => a.partNumber - b.partNumber);
    },

    async completeMultipart(key, multipartId, requested) {
      assertSafeKey(key);
      const parts = normalizeCompletedParts(requested);
      try {
        await client.send(
          new CompleteMultipartUploadCommand({
            Bucket,
            Key: key,
            UploadId: multipartId,
            MultipartUpload: {
              Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
            },
          }),
        );
      } catch (err) {
        const code = s3ErrorCode(err);
        if (isMissingUpload(err)) {
          // S3 forgets an upload once completed; keys are unique per upload, so an object
          // at the key means this one was completed before.
          if (await head(key)) throw new AppError("conflict", "This upload was already completed.");
          throw new AppError("not_found", "No such upload.");
        }
        if (code === "InvalidPart") {
          throw new AppError("unprocessable", "A part is missing or does not match its ETag.");
        }
        if (code === "EntityTooSmall") {
          throw new AppError("unprocessable", "Every part but the last must be at least 5 MiB.");
        }
        if (code === "InvalidPartOrder") {
          throw new AppError("unprocessable", "Parts must be listed in ascending order.");
        }
        throw err;
      }
      const info = await head(key);
      if (!info) throw new Error(`S3 completed ${key} but HeadObject does not find it`);
      return info;
    },

    async abortMultipart(key, multipartId) {
      try {
        await client.send(
          new AbortMultipartUploadCommand({
            Bucket,
            Key: assertSafeKey(key),
            UploadId: multipartId,
          }),
        );
      } catch (err) {
        if (!isMissingUpload(err)) throw err;
      }
    },

    async probeSource(key) {
      const command = new GetObjectCommand({ Bucket, Key: assertSafeKey(key) });
      return getSignedUrl(client, command, { expiresIn: 300 });
    },

    async check() {
      try {
        // Not HeadBucket: the task role may list only under its own prefixes.
        await client.send(new ListObjectsV2Command({ Bucket, Prefix: "media/", MaxKeys: 1 }));
        return { ok: true };
      } catch (err) {
        return { ok: false, detail: `bucket not reachable (${s3ErrorCode(err) ?? "error"})` };
      }
    },
  };
}
