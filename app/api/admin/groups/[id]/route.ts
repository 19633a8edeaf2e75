import { withSession } from "@/lib/auth";
import { json, noContent } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { otherMethods } from "@/lib/api/methods";
import { deleteGroup, groupParams, updateGroup, updateGroupBody } from "@/lib/groups";

// PATCH /api/admin/groups/{id} - rename or describe a group
export const PATCH = withSession<{ id: string }>(
  async ({ req, params }) =>
    json(await updateGroup(groupParams.parse(params).id, await readJson(req, updateGroupBody))),
  { role: "admin" },
);

// DELETE /api/admin/groups/{id} - delete a group no video is given to (409 otherwise)
export const DELETE = withSession<{ id: string }>(
  async ({ params }) => {
    await deleteGroup(groupParams.parse(params).id);
    return noContent();
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { GET, POST, PUT, OPTIONS } = otherMethods("PATCH", "DELETE");
