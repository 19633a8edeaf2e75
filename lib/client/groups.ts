import { apiFetch } from "./api";
import type { AccessLogResponse, AdminGroup } from "@/lib/contract/types";

// The admin's calls for member groups and the access log.

const base = (id: string) => `/api/admin/groups/${encodeURIComponent(id)}`;

export async function listGroups(signal?: AbortSignal): Promise<AdminGroup[]> {
  return (await apiFetch<{ groups: AdminGroup[] }>("/api/admin/groups", { signal })).groups;
}

export function createGroup(input: { name: string; description?: string }): Promise<AdminGroup> {
  return apiFetch<AdminGroup>("/api/admin/groups", { method: "POST", json: input });
}

export function updateGroup(
  id: string,
  patch: { name?: string; description?: string },
): Promise<AdminGroup> {
  return apiFetch<AdminGroup>(base(id), { method: "PATCH", json: patch });
}

export function deleteGroup(id: string): Promise<void> {
  return apiFetch<void>(base(id), { method: "DELETE" });
}

/** GET /api/admin/access-log for one video or one member, newest first. */
export function accessLog(
  filter: { videoId?: string; userId?: string; before?: string },
  signal?: AbortSignal,
): Promise<AccessLogResponse> {
  const query = new URLSearchParams({ limit: "25" });
  if (filter.videoId) query.set("videoId", filter.videoId);
  if (filter.userId) query.set("userId", filter.userId);
  if (filter.before) query.set("before", filter.before);
  return apiFetch<AccessLogResponse>(`/api/admin/access-log?${query}`, { signal });
}
