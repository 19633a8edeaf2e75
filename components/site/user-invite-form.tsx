"use client";

import { useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { formText } from "@/components/ui/form-text";
import { TextField, fieldClasses } from "@/components/ui/text-field";
import { ApiError, apiFetch } from "@/lib/client/api";
import type { AdminUser, Role } from "@/lib/contract/types";

/** POST /api/admin/users answer: `password` only when the server generated it. */
export interface CreatedUser {
  user: AdminUser;
  password?: string;
}

/** Props of {@link UserInviteForm}. */
export interface UserInviteFormProps {
  onSubmitStart: () => void;
  onCreated: (created: CreatedUser) => void;
}

/** The "invite or create a user" form of /admin/users. */
export function UserInviteForm({ onSubmitStart, onCreated }: UserInviteFormProps) {
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = formText(form, "email").trim();
    const name = formText(form, "name").trim();
    const role = (form.get("role") === "admin" ? "admin" : "member") satisfies Role;
    const password = formText(form, "password");
    setError(null);
    setPending(true);
    onSubmitStart();
    try {
      const created = await apiFetch<CreatedUser>("/api/admin/users", {
        method: "POST",
        json: { email, role, ...(name ? { name } : {}), ...(password ? { password } : {}) },
      });
      formRef.current?.reset();
      onCreated(created);
    } catch (err) {
      setError(createErrorMessage(err));
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      aria-labelledby="invite-heading"
      className="rounded-2xl bg-surface p-5 shadow-card ring-1 ring-line sm:p-6"
    >
      <h2 id="invite-heading" className="font-display text-lg font-semibold text-fg">
        Add a user
      </h2>
      <p className="mt-1 text-sm text-muted">
        Create an account and share the password with the new member.
      </p>
      {error && (
        <Alert tone="danger" className="mt-4">
          {error}
        </Alert>
      )}
      <div className="mt-5 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <TextField
          label="Email"
          name="email"
          type="email"
          required
          autoComplete="off"
          spellCheck={false}
          disabled={pending}
          placeholder="new.member@example.com"
        />
        <TextField label="Name" name="name" autoComplete="off" disabled={pending} hint="Optional" />
        <div>
          <label htmlFor="invite-role" className="mb-1.5 block text-sm font-medium text-fg">
            Role
          </label>
          <select
            id="invite-role"
            name="role"
            defaultValue="member"
            disabled={pending}
            className={cx(fieldClasses, "h-11")}
          >
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          disabled={pending}
          hint="12+ characters, or leave blank to generate one"
        />
      </div>
      <div className="mt-5 flex justify-end">
        <Button type="submit" pending={pending}>
          Create user
        </Button>
      </div>
    </form>
  );
}

function createErrorMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return "Something went wrong. Please try again.";
  if (err.status === 409) return "A user with this email already exists.";
  if (err.status === 403) return "Only admins can create users.";
  return err.message;
}
