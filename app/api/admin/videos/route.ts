import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { listAdminVideos } from "@/lib/videos/admin";
import { otherMethods } from "@/lib/api/methods";

// GET /api/admin/videos - every video with its status and job progress
export const GET = withSession(async () => json({ videos: await listAdminVideos() }), {
  role: "admin",
});

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
