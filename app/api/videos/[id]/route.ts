import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { getCatalogVideo } from "@/lib/videos/catalog";
import { videoId } from "@/lib/videos/schemas";

// GET /api/videos/{id} - one published, ready video
export const GET = withSession<{ id: string }>(async ({ params, user }) =>
  json(await getCatalogVideo(user.id, videoId.parse(params.id))),
);
