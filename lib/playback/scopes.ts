import "server-only";
import type { MediaScope } from "@/lib/cloudfront";
import type { Viewer } from "@/lib/access";
import { ALL_MEMBERS, CATALOG_ROOT, ID_PATTERN, MEDIA_ROOT } from "@/lib/storage/bucket-keys";

/** A video's folder: its playlists, segments, poster, captions and everything else. */
export function videoScope(videoId: string): MediaScope {
  return { path: `/${MEDIA_ROOT}${videoId}/` };
}

/** Everything under /media/: an admin's catalog credential (drafts' posters included). */
export const ALL_MEDIA: MediaScope = { path: "/media/" };

/**
 * The catalog credentials of a viewer: the image folder of videos open to every member,
 * and one per group the member is in. An admin gets the whole /media/ tree instead: the
 * admin pages show drafts, whose images are only in their videos' folders.
 */
export function catalogScopes(viewer: Viewer, groupIds: readonly string[]): MediaScope[] {
  if (viewer.role === "admin") return [ALL_MEDIA];
  return [ALL_MEMBERS, ...groupIds].map((audience) => ({
    path: `/${CATALOG_ROOT}${audience}/`,
  }));
}

const FOLDER = new RegExp(
  `^/(?:${MEDIA_ROOT.replace(/\//g, "\\/")}|${CATALOG_ROOT.replace(/\//g, "\\/")})([A-Za-z0-9]+)/$`,
);

/**
 * A folder a browser may hold Reelgate cookies for, as sign-out is asked to clear it:
 * `/media/`, a video's folder or a catalog folder. Anything else is null (clearing it
 * would do no harm, but it is not ours to name).
 */
export function clearableScope(path: string): MediaScope | null {
  if (path === ALL_MEDIA.path) return ALL_MEDIA;
  const m = FOLDER.exec(path);
  if (!m?.[1]) return null;
  return m[1] === ALL_MEMBERS || ID_PATTERN.test(m[1]) ? { path } : null;
}
