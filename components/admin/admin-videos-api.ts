import { apiFetch } from "@/lib/client/api";
import type { AdminVideo, AdminVideoListResponse, VideoStatus } from "@/lib/contract/types";

// The /api/admin/videos calls of the videos page. Mutations answer the updated video.

const base = (id: string) => `/api/admin/videos/${encodeURIComponent(id)}`;

export async function listAdminVideos(signal?: AbortSignal): Promise<AdminVideo[]> {
  const res = await apiFetch<AdminVideoListResponse>("/api/admin/videos", {
    signal,
    cache: "no-store",
    redirectOn401: true,
  });
  return res.videos;
}

/** The fields PATCH /api/admin/videos/{id} accepts. */
export interface VideoPatch {
  title?: string;
  description?: string;
  published?: boolean;
  /** The groups it is open to (the whole set); [] opens it to every member. */
  groupIds?: string[];
}

export function patchVideo(id: string, patch: VideoPatch): Promise<AdminVideo> {
  return apiFetch<AdminVideo>(base(id), { method: "PATCH", json: patch });
}

export function retryVideo(id: string): Promise<AdminVideo> {
  return apiFetch<AdminVideo>(`${base(id)}/retry`, { method: "POST" });
}

export function deleteVideo(id: string): Promise<void> {
  return apiFetch<void>(base(id), { method: "DELETE" });
}

export function putCaptions(id: string, lang: string, vtt: Blob): Promise<AdminVideo> {
  return apiFetch<AdminVideo>(`${base(id)}/captions/${encodeURIComponent(lang)}`, {
    method: "PUT",
    headers: { "Content-Type": "text/vtt" },
    body: vtt,
  });
}

const ACTIVE: ReadonlySet<VideoStatus> = new Set(["uploading", "queued", "processing"]);

/** Poll fast while something is moving through the pipeline, slowly otherwise. */
export function pollDelayMs(videos: readonly AdminVideo[]): number {
  return videos.some((v) => ACTIVE.has(v.status)) ? 2_000 : 15_000;
}

/** Job progress as a whole percent (the job reports 0..100). */
export function processingPercent(video: AdminVideo): number {
  const p = video.job?.progress ?? 0;
  return Math.max(0, Math.min(100, Math.floor(Number.isFinite(p) ? p : 0)));
}
