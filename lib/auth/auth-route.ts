import "server-only";
import { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { readCapped } from "@/lib/api/read-json";
import { errorResponse } from "@/lib/api/respond";
import { clientIp } from "@/lib/api/client-ip";
import { signOutMedia } from "@/lib/playback";
import { handlers } from "./config";
import { deviceCookie, newDeviceId, readDeviceId } from "./device-cookie";
import { isKnownSignIn, signInContext, type SignInContext } from "./sessions";
import { recordSignInFailure, recordSignInSuccess, signInWait } from "./throttle";
import { guardRequest } from "@/lib/api/with-errors";
import { currentUser } from "./with-session";

/**
 * NextAuth's routes with what it has no hooks for:
 * - only the exact paths Reelgate uses reach NextAuth: it reads its action from the path
 *   with empty segments dropped, so `/callback/credentials/` or `//callback/credentials`
 *   would sign in too, past any check that compared paths;
 * - a POST is a form, read once with a cap: a field given twice, another content type
 *   (NextAuth also takes JSON) or an oversized body is refused, and NextAuth is handed
 *   exactly the fields the limits were checked on;
 * - credential sign-ins go through the limits of throttle.ts, before the password is
 *   checked; each makes a session row (sessions.ts) and keeps the browser's device cookie;
 * - sign-out also clears the CloudFront media cookies, so media stops at once;
 * - the same request checks as every other route (distribution, cross-site).
 */
const ROUTES = {
  GET: new Set(["session", "csrf", "providers", "signin", "signout", "error"]),
  POST: new Set(["callback/credentials", "signout"]),
} as const;

/** The fields each POST may carry; anything else is dropped before NextAuth sees it. */
const FIELDS: Record<string, readonly string[]> = {
  "callback/credentials": ["email", "password", "csrfToken", "callbackUrl"],
  signout: ["csrfToken", "callbackUrl"],
};

const BASE = "/api/auth/";

/** The action of a canonical NextAuth path for `method`; 404 for anything else. */
function actionOf(req: Request, method: "GET" | "POST"): string {
  const { pathname } = new URL(req.url);
  const action = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : "";
  if (!ROUTES[method].has(action)) {
    throw new AppError("not_found", "No such API route.");
  }
  return action;
}

export async function authPost(original: NextRequest): Promise<Response> {
  try {
    guardRequest(original);
    const action = actionOf(original, "POST");
    const form = await readForm(original, FIELDS[action]!);
    const req = new NextRequest(original.url, {
      method: "POST",
      headers: original.headers,
      body: form.toString(),
    });
    if (action === "callback/credentials") return await credentialsSignIn(req, form);
    // Sign-out. Read before NextAuth ends the session: whose media cookies to clear.
    const user = await currentUser(req);
    const res = await handlers.POST(req);
    for (const cookie of await signOutMedia(user, req, [])) {
      res.headers.append("set-cookie", cookie);
    }
    return res;
  } catch (err) {
    return errorResponse(err);
  }
}

export async function authGet(req: NextRequest): Promise<Response> {
  try {
    guardRequest(req);
    actionOf(req, "GET");
    return await handlers.GET(req);
  } catch (err) {
    return errorResponse(err);
  }
}

/**
 * NextAuth's forms (csrf token, email, password, callback URL) are small, but it reads
 * whatever body it is sent into memory: read here with a cap (413 past it).
 */
export const AUTH_BODY_MAX_BYTES = 16 * 1024;

async function readForm(req: Request, allowed: readonly string[]): Promise<URLSearchParams> {
  // NextAuth takes any type that merely contains the form's name, and JSON as well; one
  // parser here, the form's, is what the limits and NextAuth both read.
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\s*(?:;\s*charset\s*=\s*"?utf-?8"?\s*)?$/i.test(type)) {
    throw new AppError(
      "unsupported_media_type",
      "Send the form as application/x-www-form-urlencoded.",
    );
  }
  const sent = new URLSearchParams(await readCapped(req, AUTH_BODY_MAX_BYTES));
  const form = new URLSearchParams();
  for (const name of allowed) {
    const values = sent.getAll(name);
    // Two emails would let the limits count one account while NextAuth signs in another.
    if (values.length > 1)
      throw new AppError("bad_request", `The form has ${name} more than once.`);
    if (values[0] !== undefined) form.set(name, values[0]);
  }
  return form;
}

async function credentialsSignIn(req: NextRequest, form: URLSearchParams): Promise<Response> {
  const email = form.get("email") ?? "";
  if (email.length > 320) throw new AppError("unprocessable", "email: at most 320 characters.");
  const ip = clientIp(req.headers);
  const attempt = { email, ip };
  const knownDevice = readDeviceId(req.headers);
  const wait = await signInWait(attempt, () => isKnownSignIn(email, ip, knownDevice));
  if (wait.seconds > 0) throw tooMany(wait.seconds, wait.underAttack);

  const ctx: SignInContext = {
    ip,
    userAgent: req.headers.get("user-agent") ?? "",
    deviceId: knownDevice ?? newDeviceId(),
  };
  const res = await signInContext.run(ctx, () => handlers.POST(req));
  // The provider sets the session id only when the password was right (config.ts).
  if (!ctx.sessionId) {
    const waitNow = await recordSignInFailure(attempt);
    if (waitNow > 0) throw tooMany(waitNow);
    return res;
  }
  await recordSignInSuccess(attempt);
  if (!knownDevice) res.headers.append("set-cookie", deviceCookie(ctx.deviceId));
  return res;
}

function tooMany(seconds: number, underAttack = false): AppError {
  const minutes = Math.ceil(seconds / 60);
  const wait = `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return new AppError(
    "rate_limited",
    underAttack
      ? `This account is getting many failed sign-ins from elsewhere, so new devices must wait. Sign in from a device you have used before, or try again in ${wait}.`
      : `Too many failed sign-in attempts. Try again in ${wait}.`,
    { "retry-after": String(seconds) },
  );
}
