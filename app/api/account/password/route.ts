import { withSession } from "@/lib/auth";
import { changeOwnPassword } from "@/lib/auth/account";
import { changePasswordBody } from "@/lib/auth/schemas";
import { clientIp } from "@/lib/api/client-ip";
import { json } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { otherMethods } from "@/lib/api/methods";

// POST /api/account/password - change your own password (ends your other sessions)
export const POST = withSession(async ({ req, user }) => {
  const body = await readJson(req, changePasswordBody, { maxBytes: 16 * 1024 });
  return json(await changeOwnPassword(user, body, clientIp(req.headers)));
});

// Every other method: a JSON 405 with Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
