import "server-only";
import type { Db } from "@/lib/db";
import { groups, videoGroups, videos } from "@/lib/db/schema";
import type { Storage } from "@/lib/storage";
import { wantedAudiences } from "@/lib/catalog-images";
import { CATALOG_ROOT, catalogImageKey } from "@/lib/storage/bucket-keys";
import type { Problem } from "./problems";

/**
 * The catalog folders (media/posters/<audience>/<id>.jpg) against who may see each video:
 *
 * - `missing_catalog_image`: a published, ready video with a poster whose copy is not in
 *   a folder it belongs in (its groups', or every member's): members see a placeholder.
 * - `stray_catalog_image`: a copy in a folder the video does not belong in (unpublished,
 *   deleted, regrouped, or a folder of no group): members of that folder can still load
 *   it. This is an access problem, not a cosmetic one.
 *
 * Both are mended by the sync that runs after every change (lib/catalog-images/sync.ts),
 * and by `npm run check -- --fix`.
 */
export async function checkCatalogImages(db: Db, storage: Storage): Promise<Problem[]> {
  const [objects, videoRows, links, groupRows] = await Promise.all([
    storage.list(CATALOG_ROOT),
    db
      .select({
        id: videos.id,
        published: videos.published,
        status: videos.status,
        posterKey: videos.posterKey,
      })
      .from(videos),
    db.select().from(videoGroups),
    db.select({ id: groups.id }).from(groups),
  ]);
  const groupsOf = new Map<string, string[]>();
  for (const l of links) groupsOf.set(l.videoId, [...(groupsOf.get(l.videoId) ?? []), l.groupId]);
  const wanted = new Set<string>();
  const problems: Problem[] = [];
  const present = new Set(objects.map((o) => o.key));
  for (const video of videoRows) {
    for (const audience of wantedAudiences(video, groupsOf.get(video.id) ?? [])) {
      const key = catalogImageKey(audience, video.id);
      wanted.add(key);
      if (!present.has(key)) {
        problems.push({
          kind: "missing_catalog_image",
          videoId: video.id,
          keys: [key],
          message: `video ${video.id} is published but its catalog image is missing from ${key}`,
        });
      }
    }
  }
  const knownGroups = new Set(groupRows.map((g) => g.id));
  for (const { key } of objects) {
    if (wanted.has(key)) continue;
    const [audience = "", file = ""] = key.slice(CATALOG_ROOT.length).split("/");
    const videoId = file.replace(/\.jpg$/, "");
    const why =
      audience !== "members" && !knownGroups.has(audience)
        ? `a folder of no group (${audience})`
        : "a folder the video is not open to (unpublished, deleted or regrouped)";
    problems.push({
      kind: "stray_catalog_image",
      videoId,
      keys: [key],
      message: `catalog image ${key} is in ${why}: members of that folder can still load it`,
    });
  }
  return problems;
}
