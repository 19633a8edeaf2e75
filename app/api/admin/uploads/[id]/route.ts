import { withSession } from "@/lib/auth";
import { json, noContent } from "@/lib/api/respond";
import { abortUpload, getUploadState } from "@/lib/uploads/service";
import { uploadParams } from "@/lib/uploads/schemas";
import { otherMethods } from "@/lib/api/methods";

// GET /api/admin/uploads/{id} - upload state with the parts already stored (resume)
export const GET = withSession<{ id: string }>(
  async ({ params }) => json(await getUploadState(uploadParams.parse(params).id)),
  {
    role: "admin",
  },
);

// DELETE /api/admin/uploads/{id} - cancel: abort the upload and remove its video
export const DELETE = withSession<{ id: string }>(
  async ({ params }) => {
    await abortUpload(uploadParams.parse(params).id);
    return noContent();
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, OPTIONS } = otherMethods("GET", "DELETE");
