import "server-only";
import type { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { withErrors } from "@/lib/api/with-errors";
import { getToken } from "next-auth/jwt";
import { authSecret } from "./secret";
import { findSessionUser } from "./users";
import { findSession, isLive } from "./sessions";
import type { Role } from "@/lib/contract/types";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  /** The session row this request's JWT names (lib/auth/sessions.ts). */
  sessionId: string;
}

export type SessionHandler<P> = (ctx: {
  req: NextRequest;
  params: P;
  user: SessionUser;
}) => Promise<Response> | Response;

/**
 * The session wrapper every member and admin route uses: 401 when signed out, 403
 * when the role is wrong. The user is re-read on every call (`findSessionUser`), so a
 * disabled account or a changed role takes effect at the next call, not when the JWT
 * expires.
 */
export function withSession<P = Record<string, never>>(
  handler: SessionHandler<P>,
  { role = "member" }: { role?: Role } = {},
) {
  return withErrors<P>(async ({ req, params }) => {
    const user = await currentUser(req);
    if (!user) throw new AppError("unauthorized", "Sign in to continue.");
    if (role === "admin" && user.role !== "admin") {
      throw new AppError("forbidden", "This needs an admin account.");
    }
    return handler({ req, params, user });
  });
}

/**
 * The signed-in, enabled user, or null. Reads the session JWT straight from the
 * cookie: NextAuth's `auth()` runs its whole request pipeline and re-issues the
 * cookie on every call, which cost about 6 ms per request here, more than all
 * the rest of a cookie issuance put together.
 */
export async function currentUser(req: Request): Promise<SessionUser | null> {
  const claims = await sessionClaims(req);
  if (!claims) return null;
  // A JWT from before session rows (no sid), or whose session was ended, signs no one in.
  const session = await findSession(claims.sid).catch(() => undefined);
  if (!isLive(session, claims.uid)) return null;
  const row = await findSessionUser(claims.uid).catch(() => undefined);
  if (!row || row.disabled) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role, sessionId: claims.sid };
}

// Decrypting the JWE costs about 3 ms (key derivation and AES through WebCrypto).
// The same ciphertext always decrypts to the same claims, so recent results are
// kept by the exact cookie value, and never past the token's own expiry.
type Claims = { uid: string; sid: string } | null;
const decoded = new Map<string, { claims: Claims; until: number }>();
const DECODED_MAX = 5000;

async function sessionClaims(req: Request): Promise<Claims> {
  const secureCookie = env().publicOrigin.startsWith("https:");
  const raw = await getToken({ req, secret: authSecret(), secureCookie, raw: true });
  if (!raw) return null;
  const now = Date.now();
  const hit = decoded.get(raw);
  if (hit && hit.until > now) return hit.claims;
  const token = await getToken({ req, secret: authSecret(), secureCookie });
  const claims =
    typeof token?.uid === "string" && typeof token.sid === "string"
      ? { uid: token.uid, sid: token.sid }
      : null;
  const exp = typeof token?.exp === "number" ? token.exp * 1000 : now;
  if (decoded.size >= DECODED_MAX) decoded.delete(decoded.keys().next().value!);
  decoded.set(raw, { claims, until: Math.min(exp, now + 5 * 60_000) });
  return claims;
}
