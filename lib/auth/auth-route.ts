import "server-only";
import { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { readCapped } from "@/lib/api/read-json";
import { errorResponse } from "@/lib/api/respond";
import { clientIp } from "@/lib/api/client-ip";
import { signOutMedia } from "@/lib/playback";
import { handlers } from "./config";
import { currentUser } from "./with-session";
import { lockedFor, recordFailure, recordSuccess, throttleKeys } from "./throttle";

/**
 * NextAuth's POST with two additions it has no hooks for:
 * - failed credential sign-ins are counted per account and per address, and a
 *   locked key answers 429 with Retry-After before the password is even checked;
 * - sign-out also clears the CloudFront media cookies, so media stops at once.
 */
export async function authPost(original: NextRequest): Promise<Response> {
  try {
    const req = await withCappedBody(original);
    const { pathname } = new URL(req.url);
    if (pathname.endsWith("/callback/credentials")) return await credentialsSignIn(req);
    // Read before NextAuth ends the session: whose media cookies to clear.
    const signingOut = pathname.endsWith("/signout");
    const user = signingOut ? await currentUser(req) : null;
    const res = await handlers.POST(req);
    if (signingOut) {
      for (const cookie of await signOutMedia(user, req, [])) {
        res.headers.append("set-cookie", cookie);
      }
    }
    return res;
  } catch (err) {
    return errorResponse(err);
  }
}

export async function authGet(req: NextRequest): Promise<Response> {
  try {
    return await handlers.GET(req);
  } catch (err) {
    return errorResponse(err);
  }
}

/**
 * NextAuth's forms (csrf token, email, password, callback URL) are small, but it reads
 * whatever body it is sent into memory. Read here with a cap (413 past it), and hand
 * NextAuth the same request with the buffered body.
 */
export const AUTH_BODY_MAX_BYTES = 16 * 1024;

async function withCappedBody(req: NextRequest): Promise<NextRequest> {
  const body = await readCapped(req, AUTH_BODY_MAX_BYTES);
  return new NextRequest(req.url, { method: req.method, headers: req.headers, body });
}

async function credentialsSignIn(req: NextRequest): Promise<Response> {
  const form = await req
    .clone()
    .formData()
    .catch(() => null);
  const field = form?.get("email");
  const email = typeof field === "string" ? field.slice(0, 320) : "";
  const keys = throttleKeys(email, clientIp(req.headers));
  const wait = await lockedFor(keys);
  if (wait > 0) throw tooMany(wait);

  const res = await handlers.POST(req);
  if (signInFailed(res)) {
    await recordFailure(keys);
    const waitNow = await lockedFor(keys);
    if (waitNow > 0) throw tooMany(waitNow);
  } else if (email) {
    await recordSuccess(email);
  }
  return res;
}

function tooMany(seconds: number): AppError {
  const minutes = Math.ceil(seconds / 60);
  return new AppError(
    "rate_limited",
    `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    { "retry-after": String(seconds) },
  );
}

// NextAuth reports a failed credentials sign-in only through the redirect it
// answers with: a Location header, or `{url}` JSON when the client sent
// X-Auth-Return-Redirect. Both carry `error=` on failure.
function signInFailed(res: Response): boolean {
  const location = res.headers.get("location") ?? "";
  if (location) return /[?&]error=/.test(location);
  const setCookie = res.headers.get("set-cookie") ?? "";
  return !/session-token=/.test(setCookie);
}
