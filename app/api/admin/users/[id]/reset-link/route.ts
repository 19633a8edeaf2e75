import { withSession } from "@/lib/auth";
import { createResetLink } from "@/lib/auth/account";
import { userParams } from "@/lib/auth/schemas";
import { json } from "@/lib/api/respond";
import { otherMethods } from "@/lib/api/methods";

// POST /api/admin/users/{id}/reset-link - a one-time password reset link, shown once
export const POST = withSession<{ id: string }>(
  async ({ params, user }) => {
    const { id } = userParams.parse(params);
    return json(await createResetLink(id, user.id), { status: 201 });
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
