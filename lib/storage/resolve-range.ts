import { AppError } from "@/lib/errors";
import type { ByteRange } from "./types";

/**
 * Turns a requested byte range into the inclusive range actually served from an object of
 * `size` bytes; `end` past the last byte is clamped, as HTTP and S3 do. An unsatisfiable
 * range throws, carrying the Content-Range header that a 416 answer needs.
 */
export function resolveRange(range: ByteRange, size: number): { start: number; end: number } {
  const { start, end } = assertRange(range);
  if (start >= size) {
    throw new AppError("bad_request", "Requested range not satisfiable.", {
      "Content-Range": `bytes */${size}`,
    });
  }
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}

/** Rejects ranges no object could satisfy (negative, reversed, not integers). */
export function assertRange(range: ByteRange): ByteRange {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new AppError("bad_request", "Range start must be a non-negative integer.");
  }
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    throw new AppError("bad_request", "Range end must be an integer not below its start.");
  }
  return range;
}
