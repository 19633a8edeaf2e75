"use client";

import { useState } from "react";
import { useMe } from "@/lib/client/session";
import { AccountSessions } from "./account-sessions";
import { PasswordChangeForm } from "./password-change-form";

/** The /account screen: your password and your signed-in browsers. */
export function AccountSettings() {
  const session = useMe();
  const [version, setVersion] = useState(0);
  return (
    <div className="space-y-10">
      <div>
        <h1 className="font-display text-3xl font-bold tracking-tight text-fg">Your account</h1>
        {session.status === "signed-in" && (
          <p className="mt-1 text-sm text-muted">Signed in as {session.me.email}.</p>
        )}
      </div>
      <section aria-labelledby="password-heading" className="space-y-4">
        <h2 id="password-heading" className="font-display text-xl font-semibold text-fg">
          Password
        </h2>
        <p className="text-sm text-muted">Changing it signs you out everywhere else.</p>
        <PasswordChangeForm onChanged={() => setVersion((v) => v + 1)} />
      </section>
      <section aria-labelledby="sessions-heading" className="space-y-4">
        <h2 id="sessions-heading" className="font-display text-xl font-semibold text-fg">
          Where you are signed in
        </h2>
        <AccountSessions version={version} />
      </section>
    </div>
  );
}
