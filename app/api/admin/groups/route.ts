import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { otherMethods } from "@/lib/api/methods";
import { createGroup, createGroupBody, listGroups } from "@/lib/groups";

// GET /api/admin/groups - every member group with its member and video counts
export const GET = withSession(async () => json({ groups: await listGroups() }), {
  role: "admin",
});

// POST /api/admin/groups - create a group {name, description?}
export const POST = withSession(
  async ({ req }) => json(await createGroup(await readJson(req, createGroupBody)), { status: 201 }),
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
