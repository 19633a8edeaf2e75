import { apiFetch } from "./api";
import type { AccountSession } from "@/lib/contract/types";

/** GET /api/account/sessions */
export async function listAccountSessions(signal?: AbortSignal): Promise<AccountSession[]> {
  const { sessions } = await apiFetch<{ sessions: AccountSession[] }>("/api/account/sessions", {
    signal,
    redirectOn401: true,
  });
  return sessions;
}

/** DELETE /api/account/sessions/{id} */
export function endAccountSession(id: string): Promise<void> {
  return apiFetch<void>(`/api/account/sessions/${encodeURIComponent(id)}`, { method: "DELETE" });
}

/** DELETE /api/account/sessions: sign out everywhere, this browser included. */
export function signOutEverywhere(): Promise<void> {
  return apiFetch<void>("/api/account/sessions", { method: "DELETE" });
}

/** POST /api/account/password; resolves with how many other sessions ended. */
export async function changePassword(currentPassword: string, newPassword: string) {
  return apiFetch<{ endedSessions: number }>("/api/account/password", {
    method: "POST",
    json: { currentPassword, newPassword },
  });
}

/** POST /api/password-reset with the token of an admin's reset link. */
export function resetPassword(token: string, password: string): Promise<void> {
  return apiFetch<void>("/api/password-reset", { method: "POST", json: { token, password } });
}
