import "server-only";
import { createHash, randomBytes } from "node:crypto";
import Bowser from "bowser";

/**
 * The device cookie: a random id per browser, so that a member's tabs in one browser are
 * one stream and four browsers are four. HttpOnly and scoped to /api/ (only the API
 * reads it); it proves nothing about who is signed in, it only tells devices apart.
 */
export const DEVICE_COOKIE = "rg-device";
const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;
const ONE_YEAR = 365 * 24 * 3600;

/** The request's device id, or null when it has none (or a malformed one). */
export function readDeviceId(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  for (const pair of cookieHeader.split(";")) {
    const eq = pair.indexOf("=");
    if (eq === -1 || pair.slice(0, eq).trim() !== DEVICE_COOKIE) continue;
    const value = pair.slice(eq + 1).trim();
    return DEVICE_ID.test(value) ? value : null;
  }
  return null;
}

export function newDeviceId(): string {
  return randomBytes(16).toString("base64url");
}

/** Set-Cookie for a new device id. */
export function deviceCookie(id: string, secure: boolean): string {
  return [
    `${DEVICE_COOKIE}=${id}`,
    "Path=/api/",
    `Max-Age=${ONE_YEAR}`,
    "HttpOnly",
    ...(secure ? ["Secure"] : []),
    "SameSite=Lax",
  ].join("; ");
}

/**
 * The stream id of a member on a device. Hashed with the member's id: two members who
 * share a browser have two streams, and the id shown in lists does not give away the
 * cookie.
 */
export function streamIdFor(userId: string, deviceId: string): string {
  return createHash("sha256").update(`${userId}\n${deviceId}`).digest("base64url").slice(0, 22);
}

/** "Chrome on Linux", "Safari on iOS", or "Unknown browser". */
export function deviceLabel(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  try {
    const { browser, os } = Bowser.parse(userAgent.slice(0, 512));
    const name = browser.name || "Unknown browser";
    return os.name ? `${name} on ${os.name}` : name;
  } catch {
    return "Unknown browser";
  }
}
