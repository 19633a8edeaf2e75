import { parseRetryAfter } from "@/lib/client/api";

/** Outcome of {@link signInWithCredentials}. */
export type SignInResult =
  | { ok: true }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds?: number }
  | { ok: false; reason: "failed" };

const AUTH_BASE = "/api/auth";

/**
 * Signs in with the NextAuth credentials provider, the way `signIn()` from
 * next-auth/react does (CSRF token, form POST with X-Auth-Return-Redirect, JSON
 * `{url}` whose `error` query parameter carries the failure).
 *
 * We cannot call `signIn()` itself: our throttle answers 429 with
 * `{error:{code,message}}` and no `url`, and next-auth 5.0.0-beta.32 then does
 * `new URL(data.url)`, which throws a TypeError and loses the status and the
 * Retry-After header.
 */
export async function signInWithCredentials(
  email: string,
  password: string,
  callbackUrl: string,
): Promise<SignInResult> {
  try {
    const csrfRes = await fetch(`${AUTH_BASE}/csrf`, { credentials: "same-origin" });
    if (csrfRes.status === 429) return rateLimited(csrfRes);
    if (!csrfRes.ok) return { ok: false, reason: "failed" };
    const { csrfToken } = (await csrfRes.json()) as { csrfToken?: string };
    if (!csrfToken) return { ok: false, reason: "failed" };

    const res = await fetch(`${AUTH_BASE}/callback/credentials`, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Auth-Return-Redirect": "1",
      },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl }),
    });
    if (res.status === 429) return rateLimited(res);
    if (!res.ok) return { ok: false, reason: "failed" };

    const data = (await res.json()) as { url?: string };
    if (!data.url) return { ok: false, reason: "failed" };
    const error = new URL(data.url, window.location.origin).searchParams.get("error");
    if (error === "CredentialsSignin") return { ok: false, reason: "invalid" };
    if (error) return { ok: false, reason: "failed" };
    return { ok: true };
  } catch {
    return { ok: false, reason: "failed" };
  }
}

function rateLimited(res: Response): SignInResult {
  const retryAfterSeconds = parseRetryAfter(res.headers.get("Retry-After"));
  return { ok: false, reason: "rate_limited", retryAfterSeconds };
}

/** The message a member sees for a failed sign-in. Never says whether the email exists. */
export function signInErrorMessage(result: Exclude<SignInResult, { ok: true }>): string {
  switch (result.reason) {
    case "invalid":
      return "Email or password is incorrect.";
    case "rate_limited": {
      const seconds = result.retryAfterSeconds;
      if (seconds === undefined) return "Too many attempts. Try again in a few minutes.";
      const minutes = Math.max(1, Math.ceil(seconds / 60));
      return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
    }
    case "failed":
      return "We couldn't sign you in right now. Please try again.";
  }
}
