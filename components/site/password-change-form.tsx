"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formText } from "@/components/ui/form-text";
import { TextField } from "@/components/ui/text-field";
import { changePassword } from "@/lib/client/account";
import { ApiError } from "@/lib/client/api";

/** Props of {@link PasswordChangeForm}. */
export interface PasswordChangeFormProps {
  /** Called after a change: the member's other sessions have ended. */
  onChanged: () => void;
}

/** Change your own password: the current one, then the new one twice. */
export function PasswordChangeForm({ onChanged }: PasswordChangeFormProps) {
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ tone: "success" | "danger"; text: string } | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formElement = e.currentTarget;
    const form = new FormData(formElement);
    const next = formText(form, "newPassword");
    if (next !== formText(form, "confirmPassword")) {
      setResult({ tone: "danger", text: "The new passwords do not match." });
      return;
    }
    setPending(true);
    setResult(null);
    try {
      const { endedSessions } = await changePassword(formText(form, "currentPassword"), next);
      formElement.reset();
      setResult({
        tone: "success",
        text: `Your password is changed.${endedSessions ? ` ${endedSessions} other session${endedSessions === 1 ? " was" : "s were"} signed out.` : ""}`,
      });
      onChanged();
    } catch (err) {
      setResult({
        tone: "danger",
        text: err instanceof ApiError ? err.message.replace(/^\w+: /, "") : "Something went wrong.",
      });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="max-w-md space-y-4">
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        minLength={12}
        hint="At least 12 characters."
        required
      />
      <TextField
        label="Repeat the new password"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        minLength={12}
        required
      />
      {result && <Alert tone={result.tone}>{result.text}</Alert>}
      <Button type="submit" pending={pending}>
        Change password
      </Button>
    </form>
  );
}
