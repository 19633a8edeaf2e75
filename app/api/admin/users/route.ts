import { createUser, generatePassword, listUsers, toAdminUser, withSession } from "@/lib/auth";
import { createUserBody } from "@/lib/auth/schemas";
import { json } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { otherMethods } from "@/lib/api/methods";
import { listAccounts } from "@/lib/groups/accounts";

// GET /api/admin/users - every account, with its groups
export const GET = withSession(async () => json({ users: await listAccounts(await listUsers()) }), {
  role: "admin",
});

// POST /api/admin/users - create an account; a generated password is returned once
export const POST = withSession(
  async ({ req }) => {
    const body = await readJson(req, createUserBody);
    const password = body.password ?? generatePassword();
    const user = await createUser({ ...body, password });
    return json(
      { user: toAdminUser(user), ...(body.password ? {} : { password }) },
      { status: 201 },
    );
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
