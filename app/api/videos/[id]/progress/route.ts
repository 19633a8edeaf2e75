import { withSession } from "@/lib/auth";
import { noContent } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { saveProgress } from "@/lib/videos/catalog";
import { progressBody, videoParams } from "@/lib/videos/schemas";
import { otherMethods } from "@/lib/api/methods";

// PUT /api/videos/{id}/progress - save the member's resume position
export const PUT = withSession<{ id: string }>(async ({ req, params, user }) => {
  const { id } = videoParams.parse(params);
  const { positionSeconds } = await readJson(req, progressBody, { maxBytes: 1024 });
  await saveProgress(user, id, positionSeconds);
  return noContent();
});

// Every other method: a JSON 405 with Allow.
export const { GET, POST, PATCH, DELETE, OPTIONS } = otherMethods("PUT");
