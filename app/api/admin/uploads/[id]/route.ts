import { withSession } from "@/lib/auth";
import { json, noContent } from "@/lib/api/respond";
import { abortUpload, getUploadState } from "@/lib/uploads/service";

// GET /api/admin/uploads/{id} - upload state with the parts already stored (resume)
export const GET = withSession<{ id: string }>(
  async ({ params }) => json(await getUploadState(params.id)),
  {
    role: "admin",
  },
);

// DELETE /api/admin/uploads/{id} - cancel: abort the upload and remove its video
export const DELETE = withSession<{ id: string }>(
  async ({ params }) => {
    await abortUpload(params.id);
    return noContent();
  },
  { role: "admin" },
);
