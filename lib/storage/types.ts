import type { Readable } from "node:stream";

/** What the store knows about one object. */
export interface ObjectInfo {
  key: string;
  /** Size of the whole object in bytes (also for a ranged read). */
  size: number;
  contentType?: string;
  cacheControl?: string;
  /** Quoted, as S3 sends it: `"<md5>"`, or `"<md5>-<parts>"` after a multipart upload. */
  etag?: string;
  lastModified?: Date;
}

/** Inclusive byte range, as in an HTTP Range header; `end` defaults to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface PutOptions {
  contentType?: string;
  cacheControl?: string;
}

/** Anything `put` accepts. Streams are read to the end. */
export type PutBody = Buffer | Uint8Array | string | Readable;

/** A part body as a route handler receives it (`request.body`) or as a Node stream. */
export type PartBody = ReadableStream<Uint8Array> | NodeJS.ReadableStream;

export interface PartUrlArgs {
  key: string;
  multipartId: string;
  /** 1..10000, as in S3. */
  partNumber: number;
  /** The app's upload id; only the local store uses it, to build its same-origin URL. */
  uploadId: string;
  /** Seconds the URL stays valid (S3 only; default 3600). */
  expiresIn?: number;
}

/** Where and how the browser sends one part. The response's ETag header is the part's etag. */
export interface PartTarget {
  url: string;
  method: "PUT";
  headers?: Record<string, string>;
}

export interface UploadedPart {
  partNumber: number;
  etag: string;
  size: number;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

/**
 * The media bucket. One implementation keeps objects in a local folder, the other in S3;
 * callers never ask which one they have. Keys are always chosen by the server (see
 * `assertSafeKey`), never taken from a file name.
 *
 * Errors: a missing object or upload is `AppError("not_found")`; a bad part list is
 * `AppError("unprocessable")`; completing an upload that was already completed is
 * `AppError("conflict")`. Anything else (disk full, AWS down) is a plain error.
 */
export interface Storage {
  put(key: string, body: PutBody, options?: PutOptions): Promise<void>;
  /** Uploads a local file (e.g. transcoder output) under `key`. */
  putFile(key: string, filePath: string, options?: PutOptions): Promise<void>;
  /** Opens an object for reading, optionally a byte range of it. */
  getStream(
    key: string,
    range?: ByteRange,
  ): Promise<{ body: Readable; info: ObjectInfo; range?: { start: number; end: number } }>;
  /** The object's info, or null when there is no such object. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Copies an object to a local file (written whole or not at all). */
  downloadToFile(key: string, filePath: string): Promise<void>;
  /** Every object whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Deletes every object whose key starts with `prefix` (not empty); returns how many. */
  deletePrefix(prefix: string): Promise<number>;

  createMultipart(key: string, contentType: string): Promise<{ multipartId: string }>;
  /** Where the browser PUTs part `partNumber`: a presigned S3 URL or a same-origin API path. */
  partUrl(args: PartUrlArgs): Promise<PartTarget>;
  /** The parts received so far, sorted; lets a reloaded page resume. */
  listParts(key: string, multipartId: string): Promise<UploadedPart[]>;
  /** Joins the listed parts (in part-number order) into `key`. */
  completeMultipart(key: string, multipartId: string, parts: CompletedPart[]): Promise<ObjectInfo>;
  /** Drops an upload and its parts; a no-op when it is already gone. */
  abortMultipart(key: string, multipartId: string): Promise<void>;
  /**
   * Local store only: takes the body of a part PUT to the URL `partUrl` returned. The S3
   * store leaves it undefined because the browser sends parts straight to the bucket.
   */
  receivePart?(
    key: string,
    multipartId: string,
    partNumber: number,
    body: PartBody,
    maxBytes: number,
  ): Promise<{ etag: string; size: number }>;

  /**
   * Something ffprobe can open to read the object without copying it whole: a local
   * file path, or a short-lived presigned GET URL (ffprobe reads only the headers).
   */
  probeSource(key: string): Promise<string>;

  /** Whether the store is reachable and writable, for /api/health. */
  check(): Promise<{ ok: boolean; detail?: string }>;
}
