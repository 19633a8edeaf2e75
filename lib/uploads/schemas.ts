import "server-only";
import path from "node:path";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { ID_PATTERN } from "@/lib/storage/bucket-keys";

/** Video containers we accept, by extension, with the MIME types browsers report for them. */
export const VIDEO_TYPES: Record<string, string[]> = {
  ".mp4": ["video/mp4"],
  ".m4v": ["video/x-m4v", "video/mp4"],
  ".mov": ["video/quicktime"],
  ".mkv": ["video/x-matroska", "video/matroska"],
  ".webm": ["video/webm"],
  ".avi": ["video/x-msvideo", "video/avi"],
};

// Path parameters, parsed as an object so that a refusal names the parameter. An id
// that cannot be one is refused before it reaches a query (a NUL in it fails in Postgres).
export const uploadParams = z.object({ id: z.string().regex(ID_PATTERN, "not an upload id") });

export const partParams = uploadParams.extend({
  part: z
    .string()
    .regex(/^[1-9][0-9]{0,4}$/, "not a part number")
    .transform(Number),
});

export const createUploadBody = z.object({
  fileName: z.string().trim().min(1).max(255),
  contentType: z.string().trim().max(100),
  sizeBytes: z.number().int().min(0),
  title: z.string().trim().min(1, "a title is required").max(200),
  description: z.string().trim().max(5000).optional().default(""),
});

export const partNumbersBody = z.object({
  partNumbers: z.array(z.number().int().min(1).max(10_000)).min(1).max(100),
});

export const completeBody = z.object({
  parts: z
    .array(
      z.object({
        partNumber: z.number().int().min(1).max(10_000),
        etag: z.string().min(1).max(200),
      }),
    )
    .min(1)
    .max(10_000),
});

/**
 * Checks a file before any storage is touched: type by extension AND declared MIME
 * type (415), size (413 over the limit, 422 when empty). Returns the extension kept
 * on the original's key.
 */
export function checkFile(
  input: { fileName: string; contentType: string; sizeBytes: number },
  maxBytes: number,
): string {
  const ext = path.extname(input.fileName).toLowerCase();
  const allowed = VIDEO_TYPES[ext];
  if (!allowed) {
    throw new AppError(
      "unsupported_media_type",
      `"${ext || "(no extension)"}" files are not accepted. Upload ${Object.keys(VIDEO_TYPES).join(", ")}.`,
    );
  }
  // Some browsers report no type for .mkv/.avi; a type that is declared must fit.
  const type = input.contentType.toLowerCase();
  if (type && type !== "application/octet-stream" && !allowed.includes(type)) {
    throw new AppError(
      "unsupported_media_type",
      `A ${ext} file cannot have the type "${input.contentType}".`,
    );
  }
  if (input.sizeBytes === 0) throw new AppError("unprocessable", "The file is empty.");
  if (input.sizeBytes > maxBytes) {
    throw new AppError(
      "payload_too_large",
      `The file is larger than the ${formatBytes(maxBytes)} limit.`,
    );
  }
  return ext;
}

export function formatBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i += 1;
  }
  return `${Number.isInteger(n) ? n : n.toFixed(1)} ${units[i]}`;
}

/** Part size: the configured one, grown so that no file needs more than 10,000 parts (S3's limit). */
export function partSizeFor(sizeBytes: number, configured: number): number {
  const MiB = 1024 * 1024;
  const minimum = Math.ceil(sizeBytes / 10_000 / MiB) * MiB;
  return Math.max(configured, minimum);
}
