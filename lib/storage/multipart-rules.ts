import "server-only";
import { AppError } from "@/lib/errors";
import type { CompletedPart } from "./types";

/** S3's limits, which the local store mirrors so the browser code meets them locally too. */
export const MAX_PART_NUMBER = 10_000;
export const MIN_PART_BYTES = 5 * 1024 ** 2;

export function assertPartNumber(partNumber: number): number {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new AppError(
      "bad_request",
      `Part number must be an integer from 1 to ${MAX_PART_NUMBER}.`,
    );
  }
  return partNumber;
}

/** S3 compares ETags with their quotes; browsers and clients may drop them. */
export function quoteEtag(etag: string): string {
  const bare = etag.trim().replace(/^W\//, "").replace(/^"|"$/g, "");
  return `"${bare}"`;
}

/**
 * Checks a completion list and returns it sorted by part number with quoted ETags, the
 * order S3 requires (it answers InvalidPartOrder otherwise).
 */
export function normalizeCompletedParts(parts: CompletedPart[]): CompletedPart[] {
  if (!Array.isArray(parts) || parts.length === 0) {
    throw new AppError("unprocessable", "An upload needs at least one part to complete.");
  }
  const sorted = parts
    .map((p) => ({
      partNumber: assertPartNumber(p.partNumber),
      etag: quoteEtag(String(p.etag ?? "")),
    }))
    .sort((a, b) => a.partNumber - b.partNumber);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.partNumber === sorted[i - 1]!.partNumber) {
      throw new AppError("unprocessable", `Part ${sorted[i]!.partNumber} is listed twice.`);
    }
  }
  for (const p of sorted) {
    if (p.etag === '""') throw new AppError("unprocessable", `Part ${p.partNumber} has no ETag.`);
  }
  return sorted;
}
