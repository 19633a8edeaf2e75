import "server-only";
import { randomBytes } from "node:crypto";

// Bucket layout (DESIGN section 6): media under media/, originals under uploads/,
// which no distribution behavior serves. All keys are made here from server ids,
// never from a client's file name.

const ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A short random id for URLs (/watch?v=...), about 70 bits. */
export function newId(length = 12): string {
  const bytes = randomBytes(length);
  let id = "";
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

export const ID_PATTERN = /^[A-Za-z0-9]{6,32}$/;

/** Every video's media folder is under this prefix, the originals under UPLOADS_ROOT. */
export const MEDIA_ROOT = "media/videos/";
export const UPLOADS_ROOT = "uploads/";

export function mediaPrefix(videoId: string): string {
  return `${MEDIA_ROOT}${videoId}/`;
}

export function uploadPrefix(videoId: string): string {
  return `${UPLOADS_ROOT}${videoId}/`;
}

/** The original's key; the extension is kept only from a fixed list, for ffprobe's sake. */
export function originalKey(videoId: string, extension: string): string {
  return `${uploadPrefix(videoId)}original${extension}`;
}

/**
 * Catalog images (posters) live apart from the videos' folders, so that the catalog's
 * credential opens them and nothing else. One folder per audience: `members` for videos
 * open to every member, a group's id for videos of that group (a video in two groups
 * has a copy in each). A copy exists only while the video is published and ready, so an
 * unpublished or deleted video's image is out of every member's reach.
 */
export const CATALOG_ROOT = "media/posters/";
/** The audience folder of videos open to every member (never a group id: ids are longer). */
export const ALL_MEMBERS = "members";

export function catalogFolder(audience: string): string {
  return `${CATALOG_ROOT}${audience}/`;
}

export function catalogImageKey(audience: string, videoId: string): string {
  return `${catalogFolder(audience)}${videoId}.jpg`;
}

/** The public path of a bucket key under the distribution, e.g. /media/videos/x/poster.jpg. */
export function mediaUrl(key: string | null): string | null {
  return key ? `/${key}` : null;
}
