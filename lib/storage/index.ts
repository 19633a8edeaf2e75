import "server-only";
import path from "node:path";
import { env } from "@/lib/env";
import { createLocalStorage } from "./local-storage";
import { createS3Storage } from "./s3-storage";
import type { Storage } from "./types";

export { assertSafeKey, assertSafePrefix } from "./assert-safe-key";
export { guessContentType } from "./content-type";
export { createLocalStorage, type LocalStorageOptions } from "./local-storage";
export { MAX_PART_NUMBER, MIN_PART_BYTES } from "./multipart-rules";
export { createS3Client, createS3Storage, type S3StorageOptions } from "./s3-storage";
export type {
  ByteRange,
  CompletedPart,
  ObjectInfo,
  PartBody,
  PartTarget,
  PartUrlArgs,
  PutBody,
  PutOptions,
  Storage,
  UploadedPart,
} from "./types";

// Kept on globalThis because Next.js dev re-evaluates modules on every edit, which would
// otherwise build a new S3 client (and its sockets) each time.
const cache = globalThis as typeof globalThis & { __reelgateStorage?: Storage };

/** The process's media bucket, chosen by STORAGE_DRIVER; built on first use. */
export function getStorage(): Storage {
  if (!cache.__reelgateStorage) {
    const config = env();
    cache.__reelgateStorage =
      config.STORAGE_DRIVER === "s3"
        ? createS3Storage({ bucket: config.MEDIA_BUCKET!, region: config.AWS_REGION })
        : createLocalStorage(path.join(config.dataDir, "bucket"));
  }
  return cache.__reelgateStorage;
}
