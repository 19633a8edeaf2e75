import "server-only";
import { env } from "@/lib/env";

/**
 * Set-Cookie headers that delete NextAuth's session cookie (its name and attributes as
 * @auth/core sets them: `__Secure-` and Secure on https), for the routes that end the
 * browser's own session outside NextAuth's sign-out.
 */
export function clearSessionCookieHeaders(): string[] {
  const secure = env().publicOrigin.startsWith("https:");
  const name = `${secure ? "__Secure-" : ""}authjs.session-token`;
  const attributes = `Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
  return [`${name}=; ${attributes}`];
}
