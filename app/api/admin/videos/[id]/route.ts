import { withSession } from "@/lib/auth";
import { json, noContent } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { deleteVideo, getAdminVideo, updateVideo } from "@/lib/videos/admin";
import { videoParams, videoPatch } from "@/lib/videos/schemas";
import { otherMethods } from "@/lib/api/methods";

// GET /api/admin/videos/{id} - one video with its job
export const GET = withSession<{ id: string }>(
  async ({ params }) => json(await getAdminVideo(videoParams.parse(params).id)),
  {
    role: "admin",
  },
);

// PATCH /api/admin/videos/{id} - edit title/description, publish or unpublish
export const PATCH = withSession<{ id: string }>(
  async ({ req, params }) =>
    json(await updateVideo(videoParams.parse(params).id, await readJson(req, videoPatch))),
  { role: "admin" },
);

// DELETE /api/admin/videos/{id} - delete the video, its original and all its media
export const DELETE = withSession<{ id: string }>(
  async ({ params }) => {
    await deleteVideo(videoParams.parse(params).id);
    return noContent();
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
