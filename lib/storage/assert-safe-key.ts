import "server-only";
import { AppError } from "@/lib/errors";

/** S3's limit on a key, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;

// Control characters break logs and some S3 tools, and NUL truncates paths in syscalls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function reject(reason: string): never {
  throw new AppError("bad_request", `Invalid storage key: ${reason}.`);
}

function checkSegments(value: string): void {
  if (value.startsWith("/")) reject("it must not start with '/'");
  if (value.includes("\\")) reject("it must not contain a backslash");
  if (CONTROL.test(value)) reject("it must not contain control characters");
  if (Buffer.byteLength(value, "utf8") > MAX_KEY_BYTES) reject("it is too long");
  for (const segment of value.split("/")) {
    if (segment === "") reject("it must not contain empty segments");
    // Covers "." and "..", and keeps the local store's own dot-folders (.multipart, .meta)
    // and temp files out of reach of any key.
    if (segment.startsWith(".")) reject("a segment must not start with '.'");
  }
}

/**
 * Returns `key` if it is safe as both an S3 key and a relative path under the local
 * bucket folder; throws `AppError("bad_request")` otherwise. Keys are built by the server,
 * so a rejection means a bug or a forged path, never a user's file name.
 */
export function assertSafeKey(key: string): string {
  if (typeof key !== "string" || key === "") reject("it is empty");
  checkSegments(key);
  return key;
}

/**
 * Like `assertSafeKey` for a listing prefix: it may end in "/" and its last segment may be
 * partial. The empty prefix (everything) is allowed only when `allowEmpty` is set.
 */
export function assertSafePrefix(prefix: string, { allowEmpty = false } = {}): string {
  if (typeof prefix !== "string") reject("it is not a string");
  if (prefix === "") {
    if (!allowEmpty) reject("an empty prefix would match every object");
    return prefix;
  }
  checkSegments(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix);
  return prefix;
}
