"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyIcon } from "@/components/ui/icons";
import { cx } from "@/components/ui/cx";
import { fieldClasses } from "@/components/ui/text-field";

/** Props of {@link GeneratedPassword}. */
export interface GeneratedPasswordProps {
  email: string;
  password: string;
  onDismiss: () => void;
  /** A one-time reset link rather than a new user's password; `expiresAt` is when it stops working. */
  resetLink?: { expiresAt: string };
}

/**
 * The server-generated password of a new user. The server keeps only its hash,
 * so this is the one and only time anyone can read it.
 */
export function GeneratedPassword({
  email,
  password,
  onDismiss,
  resetLink,
}: GeneratedPasswordProps) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard access can be denied; the field is selectable by hand.
    }
  }

  return (
    <section
      role="status"
      aria-labelledby="generated-heading"
      className="rounded-2xl bg-success-soft p-5 ring-1 ring-success/30 ring-inset sm:p-6"
    >
      <h2 id="generated-heading" className="font-semibold text-success">
        {resetLink ? "Reset link made" : "User created"}
      </h2>
      <p className="mt-1 text-sm text-fg/80">
        Share this {resetLink ? "link" : "password"} with{" "}
        <span className="font-medium text-fg">{email}</span> now. It will not be shown again.
        {resetLink &&
          ` It works once, until ${new Date(resetLink.expiresAt).toLocaleString()}, and signs them out everywhere.`}
      </p>
      <div className="mt-4 flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="flex-1">
          <label htmlFor="generated-password" className="mb-1.5 block text-sm font-medium text-fg">
            {resetLink ? "Reset link" : "Generated password"}
          </label>
          <input
            id="generated-password"
            readOnly
            value={password}
            onFocus={(e) => e.currentTarget.select()}
            className={cx(fieldClasses, "h-11 font-mono tracking-wide")}
          />
        </div>
        <div className="flex gap-2">
          <Button variant="secondary" onClick={copy}>
            <CopyIcon className="size-4" />
            {copied ? "Copied" : "Copy"}
          </Button>
          <Button variant="ghost" onClick={onDismiss}>
            Done
          </Button>
        </div>
      </div>
    </section>
  );
}
