import { withSession } from "@/lib/auth";
import { receivePart } from "@/lib/uploads/service";

// PUT /api/admin/uploads/{id}/parts/{n} - one part's bytes (local storage; S3 takes them directly)
export const PUT = withSession<{ id: string; part: string }>(
  async ({ req, params }) => {
    const { etag } = await receivePart(params.id, Number(params.part), req.body);
    return new Response(null, { status: 200, headers: { etag, "cache-control": "no-store" } });
  },
  { role: "admin" },
);
