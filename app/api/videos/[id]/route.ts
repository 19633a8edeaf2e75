import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { getCatalogVideo } from "@/lib/videos/catalog";
import { videoParams } from "@/lib/videos/schemas";
import { otherMethods } from "@/lib/api/methods";

// GET /api/videos/{id} - one video the member may watch (admins: drafts too)
export const GET = withSession<{ id: string }>(async ({ params, user }) =>
  json(await getCatalogVideo(user, videoParams.parse(params).id)),
);

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
