import { readFileSync } from "node:fs";
import path from "node:path";
import { api } from "./preview";

interface UploadState {
  id: string;
  videoId: string;
  partSize: number;
  partCount: number;
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
  const upload = await api<UploadState>(base, session, "POST", "/api/admin/uploads", {
    fileName: path.basename(file),
    contentType: "video/mp4",
    sizeBytes: bytes.length,
    title,
  });
  const numbers = Array.from({ length: upload.partCount }, (_, i) => i + 1);
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
  const started = Date.now();
  await api(base, session, "POST", `/api/admin/uploads/${upload.id}/complete`, { parts: done });
  // Polled slowly, so that measuring does not take CPU from the transcode it
  // measures; the end is the server's own timestamp of the video turning ready.
  let readyAt: number;
  for (;;) {
    const video = await api<{ status: string; error: string | null; updatedAt: string }>(
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
