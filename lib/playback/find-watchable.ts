import "server-only";
import { and, eq } from "drizzle-orm";
import { watchableBy, type Viewer } from "@/lib/access";
import { getDb } from "@/lib/db";
import { videos } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { remembered } from "@/lib/access/memo";

/**
 * The video, if the viewer may play it now; 404 otherwise. Decided on every issue and
 * renewal, through the access memo that the database empties at the commit of any
 * change (lib/access/memo.ts): unpublishing, deleting, or taking a member out of the
 * video's group stops new credentials at that moment. One answer for "no such video"
 * and "not yours": a member learns nothing of videos they cannot watch.
 */
export async function findWatchable(
  viewer: Viewer,
  videoId: string,
): Promise<{ id: string; title: string }> {
  const row = await remembered(`watch:${viewer.role}:${viewer.id}:${videoId}`, async () => {
    const db = await getDb();
    const [found] = await db
      .select({ id: videos.id, title: videos.title })
      .from(videos)
      .where(and(eq(videos.id, videoId), watchableBy(viewer)));
    return found ?? null;
  });
  if (!row) throw new AppError("not_found", "No such video, or it is not available to you.");
  return { ...row };
}
