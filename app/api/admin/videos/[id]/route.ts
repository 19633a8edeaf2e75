import { withSession } from "@/lib/auth";
import { json, noContent } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { deleteVideo, getAdminVideo, updateVideo } from "@/lib/videos/admin";
import { videoId, videoPatch } from "@/lib/videos/schemas";

// GET /api/admin/videos/{id} - one video with its job
export const GET = withSession<{ id: string }>(
  async ({ params }) => json(await getAdminVideo(videoId.parse(params.id))),
  {
    role: "admin",
  },
);

// PATCH /api/admin/videos/{id} - edit title/description, publish or unpublish
export const PATCH = withSession<{ id: string }>(
  async ({ req, params }) =>
    json(await updateVideo(videoId.parse(params.id), await readJson(req, videoPatch))),
  { role: "admin" },
);

// DELETE /api/admin/videos/{id} - delete the video, its original and all its media
export const DELETE = withSession<{ id: string }>(
  async ({ params }) => {
    await deleteVideo(videoId.parse(params.id));
    return noContent();
  },
  { role: "admin" },
);
