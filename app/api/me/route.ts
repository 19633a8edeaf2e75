import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { otherMethods } from "@/lib/api/methods";

// GET /api/me - the signed-in user (401 when signed out)
export const GET = withSession(({ user: { id, email, name, role } }) =>
  json({ id, email, name, role }),
);

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
