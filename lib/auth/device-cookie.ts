import "server-only";
import { randomBytes } from "node:crypto";
import { env } from "@/lib/env";

/**
 * A long-lived random id per browser, set at its first sign-in and sent back only to
 * `/api/auth/`. It survives sign-out, so that while an account is under attack a browser
 * that signed in to it before is still let in (lib/auth/throttle.ts). It proves nothing on
 * its own: it is 128 random bits that only the owner's browser and the session rows hold.
 */
const NAME = "reelgate.device";
const MAX_AGE = 400 * 24 * 3600; // the longest a browser keeps a cookie

function cookieName(): { name: string; secure: boolean } {
  const secure = env().publicOrigin.startsWith("https:");
  // __Secure-: a sibling origin over plain http cannot set or overwrite it.
  return { name: secure ? `__Secure-${NAME}` : NAME, secure };
}

export function newDeviceId(): string {
  return randomBytes(16).toString("base64url");
}

/** The request's device id, or null when it has none (or a malformed one). */
export function readDeviceId(headers: Headers): string | null {
  const { name } = cookieName();
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    const value = part.slice(at + 1).trim();
    if (/^[A-Za-z0-9_-]{22}$/.test(value)) return value;
  }
  return null;
}

export function deviceCookie(id: string): string {
  const { name, secure } = cookieName();
  return `${name}=${id}; Path=/api/auth/; Max-Age=${MAX_AGE}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}
