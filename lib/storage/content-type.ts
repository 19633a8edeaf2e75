import path from "node:path";

// Only the types the portal stores; HLS players are strict about the playlist and
// segment types, so these must not fall back to octet-stream.
const TYPES: Record<string, string> = {
  ".m3u8": "application/vnd.apple.mpegurl",
  ".ts": "video/mp2t",
  ".m4s": "video/iso.segment",
  ".mp4": "video/mp4",
  ".m4v": "video/mp4",
  ".mov": "video/quicktime",
  ".webm": "video/webm",
  ".mkv": "video/x-matroska",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".webp": "image/webp",
  ".vtt": "text/vtt",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

/** The Content-Type for a key from its extension, for objects stored without one. */
export function guessContentType(key: string): string {
  return TYPES[path.posix.extname(key).toLowerCase()] ?? "application/octet-stream";
}
