import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { completeUpload } from "@/lib/uploads/service";
import { completeBody, uploadParams } from "@/lib/uploads/schemas";
import { otherMethods } from "@/lib/api/methods";

// POST /api/admin/uploads/{id}/complete - join the parts, check the file, queue the transcode
export const POST = withSession<{ id: string }>(
  async ({ req, params }) => {
    const { id } = uploadParams.parse(params);
    const { parts } = await readJson(req, completeBody, { maxBytes: 1024 * 1024 });
    return json(await completeUpload(id, parts));
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
