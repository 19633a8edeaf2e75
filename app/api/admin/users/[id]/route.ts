import { withSession } from "@/lib/auth";
import { updateUserBody, userParams } from "@/lib/auth/schemas";
import { json } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { otherMethods } from "@/lib/api/methods";
import { patchAccount } from "@/lib/groups/accounts";

// PATCH /api/admin/users/{id} - change role, name, groups, or disable/enable
export const PATCH = withSession<{ id: string }>(
  async ({ req, params, user }) => {
    const { id } = userParams.parse(params);
    const patch = await readJson(req, updateUserBody);
    return json({ user: await patchAccount(id, patch, user.id) });
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { GET, POST, PUT, DELETE, OPTIONS } = otherMethods("PATCH");
