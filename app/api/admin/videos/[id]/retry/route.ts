import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { retryVideo } from "@/lib/videos/admin";
import { videoId } from "@/lib/videos/schemas";

// POST /api/admin/videos/{id}/retry - queue a failed video again
export const POST = withSession<{ id: string }>(
  async ({ params }) => json(await retryVideo(videoId.parse(params.id))),
  {
    role: "admin",
  },
);
