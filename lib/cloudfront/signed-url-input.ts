import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";

/** Body of POST /api/signed-urls. Semantic checks (path rules, TTL bounds) follow in createSignedUrl. */
export const signedUrlInput = z.object({
  path: z.string().min(1).max(1024),
  /** Seconds until the URL expires; default SIGNED_URL_DEFAULT_TTL_SECONDS. */
  expiresIn: z.number().int().positive().optional(),
});

export type SignedUrlInput = z.infer<typeof signedUrlInput>;

const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * Checks that `raw` names one object under /media/ and returns the path to sign. Each
 * refusal is a 400 of its own: a signed URL is a bearer grant, so anything that could
 * widen it (a wildcard, a traversal the edge or a bucket might normalize, a query
 * string CloudFront would sign too) is refused rather than cleaned up. Percent-encoding
 * is decoded once first so `%2e%2e` or `%2A` cannot slip past the checks; the signed
 * path contains only unreserved characters, so it reads the same encoded or not.
 */
export function parseMediaPath(raw: string): string {
  if (raw.includes("*")) throw bad("Wildcards (*) are not allowed in a signed URL path.");
  if (raw.includes("?")) {
    throw bad("Query strings and ? wildcards are not allowed in a signed URL path.");
  }
  if (raw.includes("#")) throw bad("Fragments are not allowed in a signed URL path.");
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    throw bad("The path has malformed percent-encoding.");
  }
  if (/[*?#]/.test(path)) {
    throw bad("Encoded wildcards, query strings or fragments are not allowed.");
  }
  if (path.includes("%")) throw bad("Double percent-encoding is not allowed.");
  if (!path.startsWith("/media/")) throw bad("The path must start with /media/.");
  const segments = path.slice("/media/".length).split("/");
  if (segments.some((s) => s === "." || s === "..")) {
    throw bad("Path traversal (. or ..) is not allowed.");
  }
  if (segments.some((s) => s === "")) {
    throw bad("The path must name one object: no empty segments or trailing slash.");
  }
  if (!segments.every((s) => SEGMENT.test(s))) {
    throw bad("The path may only contain letters, digits and . _ ~ - between slashes.");
  }
  return path;
}

/** The URL lifetime in seconds: `expiresIn` or the default, within 1..max. */
export function parseExpiresIn(expiresIn: unknown, defaults: { ttl: number; max: number }): number {
  if (expiresIn === undefined) return Math.min(defaults.ttl, defaults.max);
  if (typeof expiresIn !== "number" || !Number.isInteger(expiresIn)) {
    throw new AppError("unprocessable", "expiresIn must be a whole number of seconds.");
  }
  if (expiresIn <= 0) throw new AppError("unprocessable", "expiresIn must be positive.");
  if (expiresIn > defaults.max) {
    throw new AppError("unprocessable", `expiresIn must be at most ${defaults.max} seconds.`);
  }
  return expiresIn;
}

function bad(message: string): AppError {
  return new AppError("bad_request", message);
}
