"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formText } from "@/components/ui/form-text";
import { TextField } from "@/components/ui/text-field";
import { issueCatalogCookies } from "@/lib/client/media-access";
import { refreshMe, useMe } from "@/lib/client/session";
import { safeCallbackPath } from "./callback-url";
import { signInErrorMessage, signInWithCredentials } from "./credentials-sign-in";

/** The email + password form of /signin. Needs a Suspense boundary (useSearchParams). */
export function SignInForm() {
  const router = useRouter();
  const params = useSearchParams();
  const session = useMe();
  const destination = safeCallbackPath(params.get("callbackUrl"));
  // NextAuth sends its own failures back here (pages.error is /signin) as ?error=.
  const [error, setError] = useState<string | null>(() => queryError(params.get("error")));
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = formText(form, "email").trim();
    const password = formText(form, "password");
    setError(null);
    setPending(true);
    let navigating = false;
    try {
      const result = await signInWithCredentials(
        email,
        password,
        new URL(destination, window.location.origin).href,
      );
      if (!result.ok) {
        setError(signInErrorMessage(result));
        return;
      }
      try {
        // The catalog's posters need their CloudFront cookies; issue them now so the
        // first page after sign-in does not flash broken images.
        await issueCatalogCookies();
      } catch {
        // The catalog and the player issue them again on mount.
      }
      await refreshMe({ announce: true });
      navigating = true;
      router.replace(destination);
    } finally {
      // Keep the button busy until the next page replaces this one.
      if (!navigating) setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" aria-describedby="signin-help">
      {session.status === "signed-in" && !error && (
        <Alert tone="info" role="status">
          You are signed in as <span className="font-semibold">{session.me.email}</span>. Signing in
          again switches account.
        </Alert>
      )}
      {error && <Alert tone="danger">{error}</Alert>}
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        inputMode="email"
        autoCapitalize="none"
        spellCheck={false}
        required
        disabled={pending}
        placeholder="you@example.com"
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        disabled={pending}
      />
      <Button type="submit" size="lg" pending={pending} className="w-full">
        Sign in
      </Button>
      <p id="signin-help" className="text-center text-xs text-muted">
        Accounts are created by an administrator. Ask yours for an invitation.
      </p>
    </form>
  );
}

function queryError(code: string | null): string | null {
  if (!code) return null;
  return signInErrorMessage(
    code === "CredentialsSignin"
      ? { ok: false, reason: "invalid" }
      : { ok: false, reason: "failed" },
  );
}
