import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import { assertSafeKey } from "./assert-safe-key";
import { writeFileAtomic } from "./atomic-write";

/**
 * On-disk layout of the local bucket:
 *   <root>/<key>                         object bytes
 *   <root>/.meta/<key>.json              content type, cache control, etag
 *   <root>/.multipart/<id>/upload.json   an open multipart upload
 *   <root>/.multipart/<id>/<n>(.json)    part n and its etag/size
 * Keys cannot have a segment starting with ".", so none of the dot-folders is reachable
 * through a key.
 */
export interface LocalMeta {
  contentType?: string;
  cacheControl?: string;
  etag?: string;
}

/** Absolute path of a key under `root`; never outside it. */
export function objectPath(root: string, key: string): string {
  const full = path.join(root, ...assertSafeKey(key).split("/"));
  // Belt and braces: assertSafeKey already rules out "..", but a path check is cheap.
  const rel = path.relative(root, full);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) {
    throw new AppError("bad_request", "Invalid storage key: it leaves the bucket.");
  }
  return full;
}

export function metaPath(root: string, key: string): string {
  return path.join(root, ".meta", ...assertSafeKey(key).split("/")) + ".json";
}

export function multipartDir(root: string, multipartId: string): string {
  // The id comes back from the browser via the upload row; only our own format is allowed.
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(multipartId)) {
    throw new AppError("not_found", "No such upload.");
  }
  return path.join(root, ".multipart", multipartId);
}

export async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch (err) {
    if (isFsError(err, "ENOENT", "ENOTDIR") || err instanceof SyntaxError) return null;
    throw err;
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(Readable.from([Buffer.from(JSON.stringify(value))]), file);
}

export function isFsError(err: unknown, ...codes: string[]): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && codes.includes(code);
}

/** A key that is both a file and a folder cannot exist on disk, though S3 allows it. */
export function folderClash(key: string): AppError {
  return new AppError("conflict", `Storage key ${key} clashes with an existing object or folder.`);
}
