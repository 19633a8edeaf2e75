import { withSession } from "@/lib/auth";
import { receivePart } from "@/lib/uploads/service";
import { partParams } from "@/lib/uploads/schemas";
import { otherMethods } from "@/lib/api/methods";

// PUT /api/admin/uploads/{id}/parts/{n} - one part's bytes (local storage; S3 takes them directly)
export const PUT = withSession<{ id: string; part: string }>(
  async ({ req, params }) => {
    const { id, part } = partParams.parse(params);
    const { etag } = await receivePart(id, part, req.body);
    return new Response(null, { status: 200, headers: { etag, "cache-control": "no-store" } });
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { GET, POST, PATCH, DELETE, OPTIONS } = otherMethods("PUT");
