import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";

// GET /api/me - the signed-in user (401 when signed out)
export const GET = withSession(({ user }) => json(user));
