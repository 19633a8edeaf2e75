import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { readQuery } from "@/lib/api/read-query";
import { listCatalog } from "@/lib/videos/catalog";
import { catalogQuery } from "@/lib/videos/schemas";
import { otherMethods } from "@/lib/api/methods";

// GET /api/videos?q= - published, ready videos and the member's "continue watching"
export const GET = withSession(async ({ req, user }) => {
  const { q } = readQuery(req, catalogQuery);
  return json(await listCatalog(user, q));
});

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
