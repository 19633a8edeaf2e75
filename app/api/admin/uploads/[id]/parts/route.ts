import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { partUrls } from "@/lib/uploads/service";
import { partNumbersBody, uploadParams } from "@/lib/uploads/schemas";
import { otherMethods } from "@/lib/api/methods";

// POST /api/admin/uploads/{id}/parts - URLs to PUT parts to (presigned S3, or this API locally)
export const POST = withSession<{ id: string }>(
  async ({ req, params }) => {
    const { id } = uploadParams.parse(params);
    const { partNumbers } = await readJson(req, partNumbersBody);
    return json(await partUrls(id, partNumbers));
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
