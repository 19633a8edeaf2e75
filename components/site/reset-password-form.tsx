"use client";

import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formText } from "@/components/ui/form-text";
import { TextField } from "@/components/ui/text-field";
import { resetPassword } from "@/lib/client/account";
import { ApiError } from "@/lib/client/api";

/**
 * The form behind an admin's reset link. The token is in the URL's fragment (#token=…),
 * which the browser never sends anywhere; it is read here and posted once.
 */
export function ResetPasswordForm() {
  const [token, setToken] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    const found = new URLSearchParams(window.location.hash.slice(1)).get("token");
    // The fragment exists only in the browser, after the static page has hydrated: read
    // once on mount (a lazy initial state would differ from the prerendered HTML).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setToken(found ?? "");
    // Out of the address bar and the history once read.
    if (found) window.history.replaceState(null, "", window.location.pathname);
  }, []);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = formText(form, "password");
    if (password !== formText(form, "confirmPassword")) {
      setError("The passwords do not match.");
      return;
    }
    setPending(true);
    setError(null);
    try {
      await resetPassword(token ?? "", password);
      setDone(true);
    } catch (err) {
      setError(
        err instanceof ApiError ? err.message.replace(/^\w+: /, "") : "Something went wrong.",
      );
    } finally {
      setPending(false);
    }
  }

  if (done) {
    return (
      <div className="space-y-4">
        <Alert tone="success">Your password is set. Sign in with it now.</Alert>
        <Link href="/signin" className="font-medium text-accent underline">
          Sign in
        </Link>
      </div>
    );
  }
  if (token === "") {
    return (
      <Alert tone="danger">
        This page needs the whole link your admin sent. Ask them for a new one.
      </Alert>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-5">
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={12}
        hint="At least 12 characters."
        required
      />
      <TextField
        label="Repeat it"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        minLength={12}
        required
      />
      {error && <Alert tone="danger">{error}</Alert>}
      <Button
        type="submit"
        size="lg"
        className="w-full"
        pending={pending}
        disabled={token === null}
      >
        Set password
      </Button>
    </form>
  );
}
