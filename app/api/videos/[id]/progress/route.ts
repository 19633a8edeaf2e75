import { withSession } from "@/lib/auth";
import { noContent } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { saveProgress } from "@/lib/videos/catalog";
import { progressBody, videoId } from "@/lib/videos/schemas";

// PUT /api/videos/{id}/progress - save the member's resume position
export const PUT = withSession<{ id: string }>(async ({ req, params, user }) => {
  const id = videoId.parse(params.id);
  const { positionSeconds } = await readJson(req, progressBody, { maxBytes: 1024 });
  await saveProgress(user.id, id, positionSeconds);
  return noContent();
});
