import { withSession } from "@/lib/auth";
import { accountSessions, endAllSessions } from "@/lib/auth/account";
import { clearSessionCookieHeaders } from "@/lib/auth/session-cookie";
import { signOutMedia } from "@/lib/playback";
import { json, noContent } from "@/lib/api/respond";
import { otherMethods } from "@/lib/api/methods";

// GET /api/account/sessions - the signed-in member's live sessions (browsers)
export const GET = withSession(async ({ user }) => json({ sessions: await accountSessions(user) }));

// DELETE /api/account/sessions - sign out everywhere, this browser included
export const DELETE = withSession(async ({ req, user }) => {
  const media = await signOutMedia(user, req, []);
  await endAllSessions(user);
  const res = noContent();
  for (const cookie of [...clearSessionCookieHeaders(), ...media])
    res.headers.append("set-cookie", cookie);
  return res;
});

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, OPTIONS } = otherMethods("GET", "DELETE");
