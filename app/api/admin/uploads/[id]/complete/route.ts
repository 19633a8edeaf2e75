import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { completeUpload } from "@/lib/uploads/service";
import { completeBody } from "@/lib/uploads/schemas";

// POST /api/admin/uploads/{id}/complete - join the parts, check the file, queue the transcode
export const POST = withSession<{ id: string }>(
  async ({ req, params }) => {
    const { parts } = await readJson(req, completeBody, { maxBytes: 1024 * 1024 });
    return json(await completeUpload(params.id, parts));
  },
  { role: "admin" },
);
