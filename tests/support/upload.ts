import { readFileSync } from "node:fs";
import path from "node:path";

export interface UploadState {
  id: string;
  videoId: string;
  partSize: number;
  partCount: number;
  status: string;
  uploadedParts: { partNumber: number; etag: string; size: number }[];
}

export interface AdminVideoState {
  status: string;
  error: string | null;
  updatedAt: string;
  job: { status: string; progress: number; attempts: number; maxAttempts: number } | null;
}

/** One admin API call; throws with the status and body on anything but 2xx. */
export async function api<T>(
  base: string,
  session: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: {
      cookie: session,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** Starts a resumable upload of `bytes` (POST /api/admin/uploads). */
export function startUpload(
  base: string,
  session: string,
  fileName: string,
  bytes: Buffer<ArrayBuffer>,
  title: string,
): Promise<UploadState> {
  return api<UploadState>(base, session, "POST", "/api/admin/uploads", {
    fileName,
    contentType: "video/mp4",
    sizeBytes: bytes.length,
    title,
  });
}

/** Sends the given parts of `bytes`, one after the other; returns their etags. */
export async function sendParts(
  base: string,
  session: string,
  upload: Pick<UploadState, "id" | "partSize">,
  bytes: Buffer<ArrayBuffer>,
  numbers: number[],
): Promise<{ partNumber: number; etag: string }[]> {
  const { parts } = await api<{ parts: { partNumber: number; url: string }[] }>(
    base,
    session,
    "POST",
    `/api/admin/uploads/${upload.id}/parts`,
    { partNumbers: numbers },
  );
  const done = [];
  for (const part of parts) {
    const start = (part.partNumber - 1) * upload.partSize;
    const res = await fetch(new URL(part.url, base), {
      method: "PUT",
      headers: { cookie: session, "content-type": "application/octet-stream" },
      body: bytes.subarray(start, start + upload.partSize),
    });
    if (!res.ok) throw new Error(`part ${part.partNumber} answered ${res.status}`);
    done.push({ partNumber: part.partNumber, etag: res.headers.get("etag")! });
  }
  return done;
}

/** Completes an upload: the transcode is queued. */
export async function completeUpload(
  base: string,
  session: string,
  uploadId: string,
  parts: { partNumber: number; etag: string }[],
): Promise<void> {
  await api(base, session, "POST", `/api/admin/uploads/${uploadId}/complete`, { parts });
}

/**
 * Uploads a file with the resumable protocol, completes it and waits for the
 * transcode. `processingMs` runs from the completion request to the moment the
 * API reports the video ready: the whole pipeline (probe, ladder, poster, copy
 * to storage, database), by the server's clock (same machine).
 */
export async function uploadAndPublish(
  base: string,
  session: string,
  file: string,
  title: string,
): Promise<{ videoId: string; processingMs: number }> {
  const bytes = readFileSync(file);
  const upload = await startUpload(base, session, path.basename(file), bytes, title);
  const numbers = Array.from({ length: upload.partCount }, (_, i) => i + 1);
  const done = await sendParts(base, session, upload, bytes, numbers);
  const started = Date.now();
  await completeUpload(base, session, upload.id, done);
  // Polled slowly, so that measuring does not take CPU from the transcode it
  // measures; the end is the server's own timestamp of the video turning ready.
  let readyAt: number;
  for (;;) {
    const video = await api<AdminVideoState>(
      base,
      session,
      "GET",
      `/api/admin/videos/${upload.videoId}`,
    );
    if (video.status === "ready") {
      readyAt = Date.parse(video.updatedAt);
      break;
    }
    if (video.status === "failed") throw new Error(`transcode failed: ${video.error}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const processingMs = readyAt - started;
  await api(base, session, "PATCH", `/api/admin/videos/${upload.videoId}`, { published: true });
  return { videoId: upload.videoId, processingMs };
}
