import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { retryVideo } from "@/lib/videos/admin";
import { videoParams } from "@/lib/videos/schemas";
import { otherMethods } from "@/lib/api/methods";

// POST /api/admin/videos/{id}/retry - queue a failed video again
export const POST = withSession<{ id: string }>(
  async ({ params }) => json(await retryVideo(videoParams.parse(params).id)),
  {
    role: "admin",
  },
);

// Every other method: a JSON 405 with Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
