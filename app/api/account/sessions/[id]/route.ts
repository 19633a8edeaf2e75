import { withSession } from "@/lib/auth";
import { endOwnSession } from "@/lib/auth/account";
import { sessionParams } from "@/lib/auth/schemas";
import { clearSessionCookieHeaders } from "@/lib/auth/session-cookie";
import { signOutMedia } from "@/lib/playback";
import { noContent } from "@/lib/api/respond";
import { otherMethods } from "@/lib/api/methods";

// DELETE /api/account/sessions/{id} - end one of the member's own sessions
export const DELETE = withSession<{ id: string }>(async ({ req, params, user }) => {
  const { id } = sessionParams.parse(params);
  await endOwnSession(user, id);
  const res = noContent();
  // This browser's own session: signed out as by NextAuth's sign-out, media included.
  if (id === user.sessionId) {
    const media = await signOutMedia(user, req, []);
    for (const cookie of [...clearSessionCookieHeaders(), ...media])
      res.headers.append("set-cookie", cookie);
  }
  return res;
});

// Every other method: a JSON 405 with Allow.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
