import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { getCatalogVideo } from "@/lib/videos/catalog";
import { videoParams } from "@/lib/videos/schemas";
import { otherMethods } from "@/lib/api/methods";

// GET /api/videos/{id} - one published, ready video
export const GET = withSession<{ id: string }>(async ({ params, user }) =>
  json(await getCatalogVideo(user.id, videoParams.parse(params).id)),
);

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
