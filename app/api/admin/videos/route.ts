import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { listAdminVideos } from "@/lib/videos/admin";

// GET /api/admin/videos - every video with its status and job progress
export const GET = withSession(async () => json({ videos: await listAdminVideos() }), {
  role: "admin",
});
