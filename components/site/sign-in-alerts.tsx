"use client";

import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { apiFetch } from "@/lib/client/api";
import type { SignInAlertView } from "@/lib/contract/types";

const time = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });

/** The dashboard's notice of accounts with many failed sign-ins right now. */
export function SignInAlerts() {
  const [alerts, setAlerts] = useState<SignInAlertView[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    apiFetch<{ accounts: SignInAlertView[] }>("/api/admin/sign-in-alerts", {
      signal: controller.signal,
    })
      .then(({ accounts }) => setAlerts(accounts))
      .catch(() => {});
    return () => controller.abort();
  }, []);

  if (alerts.length === 0) return null;
  return (
    <Alert tone="danger" title="Failed sign-ins">
      <ul className="mt-1 space-y-1">
        {alerts.map((a) => (
          <li key={a.email}>
            <span className="font-medium">{a.email}</span>: {a.failures} failed sign-ins since{" "}
            {time.format(new Date(a.since))}
            {a.restricted && a.until
              ? `. Under attack: until ${time.format(new Date(a.until))}, only devices and addresses that signed in to it before can sign in.`
              : "."}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
