import { toAdminUser, updateUser, withSession } from "@/lib/auth";
import { updateUserBody, userId } from "@/lib/auth/schemas";
import { json } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";

// PATCH /api/admin/users/{id} - change role, name, or disable/enable
export const PATCH = withSession<{ id: string }>(
  async ({ req, params, user }) => {
    const id = userId.parse(params.id);
    const patch = await readJson(req, updateUserBody);
    return json({ user: toAdminUser(await updateUser(id, patch, user.id)) });
  },
  { role: "admin" },
);
