import { randomBytes } from "node:crypto";

/**
 * The request id header: CloudFront's own, which it adds to every request it sends to an
 * origin (and to its answers); the preview edge makes one of the same form. One name in
 * both places, so the API reads a single header in production and locally.
 */
export const CLOUDFRONT_REQUEST_ID_HEADER = "x-amz-cf-id";
/** The API's answers carry the request id here too (and in every error body). */
export const REQUEST_ID_HEADER = "x-request-id";

// CloudFront's ids are 56 characters of URL-safe base64; anything else (a forged header
// on a request that reached the API around the distribution) is replaced, so a log line
// never carries a caller's text as the id.
const VALID = /^[A-Za-z0-9_=-]{16,128}$/;

/** A new id shaped like CloudFront's: 42 random bytes, URL-safe base64. */
export function newRequestId(): string {
  return randomBytes(42).toString("base64url");
}

/** The request's id from its CloudFront header, or a new one when absent or malformed. */
export function requestIdOf(headers: { get(name: string): string | null }): string {
  const given = headers.get(CLOUDFRONT_REQUEST_ID_HEADER);
  return given && VALID.test(given) ? given : newRequestId();
}
