import { withSession } from "@/lib/auth";
import { endOwnSession } from "@/lib/auth/account";
import { sessionParams } from "@/lib/auth/schemas";
import { clearSessionCookieHeaders } from "@/lib/auth/session-cookie";
import { clearMediaCookieHeaders } from "@/lib/cloudfront";
import { noContent } from "@/lib/api/respond";
import { otherMethods } from "@/lib/api/methods";

// DELETE /api/account/sessions/{id} - end one of the member's own sessions
export const DELETE = withSession<{ id: string }>(async ({ params, user }) => {
  const { id } = sessionParams.parse(params);
  await endOwnSession(user, id);
  const res = noContent();
  if (id === user.sessionId) {
    for (const cookie of [...clearSessionCookieHeaders(), ...clearMediaCookieHeaders()])
      res.headers.append("set-cookie", cookie);
  }
  return res;
});

// Every other method: a JSON 405 with Allow.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
