import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { partUrls } from "@/lib/uploads/service";
import { partNumbersBody } from "@/lib/uploads/schemas";

// POST /api/admin/uploads/{id}/parts - URLs to PUT parts to (presigned S3, or this API locally)
export const POST = withSession<{ id: string }>(
  async ({ req, params }) => {
    const { partNumbers } = await readJson(req, partNumbersBody);
    return json(await partUrls(params.id, partNumbers));
  },
  { role: "admin" },
);
