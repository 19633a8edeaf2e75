import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { createUpload } from "@/lib/uploads/service";
import { createUploadBody } from "@/lib/uploads/schemas";
import { otherMethods } from "@/lib/api/methods";

// POST /api/admin/uploads - start a resumable upload (creates the video record)
export const POST = withSession(
  async ({ req, user }) =>
    json(await createUpload(user.id, await readJson(req, createUploadBody)), { status: 201 }),
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
