import "server-only";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth";
import { clearMediaCookieHeaders, type MediaScope } from "@/lib/cloudfront";
import { groupIdsOf } from "@/lib/groups";
import { getStreamRegistry, readDeviceId, streamIdFor } from "@/lib/streams";
import { ALL_MEDIA, catalogScopes, clearableScope, videoScope } from "./scopes";
import { endCurrentStream } from "./streams";
import { streamTtlMs } from "./timing";

/** DELETE /api/signed-cookies body (optional): the folders this browser was given cookies for. */
export const clearCookiesBody = z
  .object({ paths: z.array(z.string().max(200)).max(100).optional() })
  .strict();

/**
 * Set-Cookie headers that delete every Reelgate media cookie this browser may hold. The
 * cookies are HttpOnly and a cookie is deleted only with its own Path, so the folders
 * come from three places: the ones the page says it was given (`paths`, kept by the
 * browser code across tabs), the member's catalog folders and the video their device
 * plays now, and `/media/` (an admin's, or a cookie from before per-video access). When
 * a member signs out, their device's stream ends too.
 */
export async function signOutMedia(
  user: SessionUser | null,
  req: Request,
  paths: readonly string[],
): Promise<string[]> {
  const scopes = new Map<string, MediaScope>([[ALL_MEDIA.path, ALL_MEDIA]]);
  for (const path of paths) {
    const scope = clearableScope(path);
    if (scope) scopes.set(scope.path, scope);
  }
  if (user) {
    const groups = user.role === "admin" ? [] : await groupIdsOf(user.id);
    for (const scope of catalogScopes({ id: user.id, role: "member" }, groups)) {
      scopes.set(scope.path, scope);
    }
    const device = readDeviceId(req.headers.get("cookie"));
    if (device) {
      const id = streamIdFor(user.id, device);
      const streams = await getStreamRegistry().list(user.id, {
        ttlMs: streamTtlMs(),
        now: Date.now(),
      });
      const mine = streams.find((s) => s.id === id);
      if (mine) scopes.set(videoScope(mine.videoId).path, videoScope(mine.videoId));
    }
    await endCurrentStream(user, req);
  }
  return clearMediaCookieHeaders([...scopes.values()]);
}
