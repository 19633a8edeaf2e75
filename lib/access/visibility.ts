import "server-only";
import { and, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { groupMembers, videoGroups, videos } from "@/lib/db/schema";
import type { Role } from "@/lib/contract/types";

/** Who is asking: enough to decide what they may see and watch. */
export interface Viewer {
  id: string;
  role: Role;
}

/**
 * The group rule: a video with no group is open to every member; one with groups only
 * to the members of at least one of them. Admins see every video.
 */
export function openTo(viewer: Viewer): SQL {
  if (viewer.role === "admin") return sql`true`;
  return sql`(not exists (select 1 from ${videoGroups} where ${videoGroups.videoId} = ${videos.id})
    or exists (select 1 from ${videoGroups} inner join ${groupMembers}
      on ${groupMembers.groupId} = ${videoGroups.groupId}
      where ${videoGroups.videoId} = ${videos.id} and ${groupMembers.userId} = ${viewer.id}))`;
}

/** Published, ready and open to the viewer: what the catalog lists, for members and admins. */
export function listedFor(viewer: Viewer): SQL {
  return and(eq(videos.published, true), eq(videos.status, "ready"), openTo(viewer))!;
}

/**
 * What the viewer may play now, and so be issued credentials for. Members: what the
 * catalog lists them. Admins: every ready video, drafts included (preview before
 * publishing).
 */
export function watchableBy(viewer: Viewer): SQL {
  if (viewer.role === "admin")
    return and(eq(videos.status, "ready"), isNotNull(videos.playlistKey))!;
  return listedFor(viewer);
}
