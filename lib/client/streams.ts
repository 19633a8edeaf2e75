import { apiFetch } from "./api";
import type { StreamListResponse } from "@/lib/contract/types";

/** GET /api/streams: the member's devices playing now. */
export function listStreams(signal?: AbortSignal): Promise<StreamListResponse> {
  return apiFetch<StreamListResponse>("/api/streams", { signal });
}

/** DELETE /api/streams/{id}: stop one of the member's streams. */
export async function stopStream(id: string): Promise<void> {
  await apiFetch<void>(`/api/streams/${encodeURIComponent(id)}`, { method: "DELETE" });
}
