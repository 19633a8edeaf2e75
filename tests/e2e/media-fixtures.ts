import { mkdirSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type APIRequestContext } from "@playwright/test";
import { makeTestVideo } from "../support/test-video";

const dir = path.join(os.tmpdir(), "reelgate-e2e-media");

/** A short H.264/AAC test video made with ffmpeg's lavfi sources (cached per machine). */
export function testVideo(seconds = 12, size = "1280x720"): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `test-${seconds}s-${size}.mp4`);
  if (!existsSync(file)) makeTestVideo(file, { seconds, size, faststart: true });
  return file;
}

/** A file of the given bytes in the temp folder. */
export function tempFile(name: string, bytes: Buffer | string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

export interface UploadState {
  id: string;
  videoId: string;
  partSize: number;
  partCount: number;
}

/** The upload protocol through the API, as the browser's uploader speaks it. */
export async function uploadViaApi(
  request: APIRequestContext,
  file: { name: string; type: string; bytes: Buffer },
  options: { title?: string; skipParts?: number[]; complete?: boolean } = {},
): Promise<{ upload: UploadState; parts: { partNumber: number; etag: string }[] }> {
  const created = await request.post("/api/admin/uploads", {
    data: {
      fileName: file.name,
      contentType: file.type,
      sizeBytes: file.bytes.length,
      title: options.title ?? file.name,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const upload = (await created.json()) as UploadState;
  const numbers = Array.from({ length: upload.partCount }, (_, i) => i + 1);
  const urls = await request.post(`/api/admin/uploads/${upload.id}/parts`, {
    data: { partNumbers: numbers },
  });
  expect(urls.status()).toBe(200);
  const { parts } = (await urls.json()) as { parts: { partNumber: number; url: string }[] };
  const done: { partNumber: number; etag: string }[] = [];
  for (const part of parts) {
    if (options.skipParts?.includes(part.partNumber)) continue;
    const start = (part.partNumber - 1) * upload.partSize;
    const res = await request.put(part.url, {
      data: file.bytes.subarray(start, start + upload.partSize),
      headers: { "content-type": "application/octet-stream" },
    });
    expect(res.status(), await res.text()).toBe(200);
    done.push({ partNumber: part.partNumber, etag: res.headers()["etag"]! });
  }
  return { upload, parts: done };
}

export function readBytes(file: string): Buffer {
  return readFileSync(file);
}

/** Waits until the admin API reports the video ready (or failed, which fails the test). */
export async function waitUntilReady(
  request: APIRequestContext,
  videoId: string,
  timeoutMs = 240_000,
): Promise<void> {
  await expect
    .poll(
      async () => {
        const res = await request.get(`/api/admin/videos/${videoId}`);
        const video = (await res.json()) as { status: string; error: string | null };
        if (video.status === "failed") throw new Error(`transcode failed: ${video.error}`);
        return video.status;
      },
      { timeout: timeoutMs, intervals: [1000] },
    )
    .toBe("ready");
}

/** Uploads and transcodes a test video through the API, unpublished; returns its id. */
export async function transcodeTestVideo(
  request: APIRequestContext,
  title: string,
  seconds: number,
  size = "1280x720",
): Promise<string> {
  const bytes = readFileSync(testVideo(seconds, size));
  const { upload, parts } = await uploadViaApi(
    request,
    { name: `${title}.mp4`, type: "video/mp4", bytes },
    { title },
  );
  const done = await request.post(`/api/admin/uploads/${upload.id}/complete`, { data: { parts } });
  expect(done.status(), await done.text()).toBe(200);
  await waitUntilReady(request, upload.videoId);
  return upload.videoId;
}

/** Uploads, transcodes and publishes a test video through the API; returns its id. */
export async function publishTestVideo(
  request: APIRequestContext,
  title: string,
  seconds: number,
  size = "1280x720",
): Promise<string> {
  const videoId = await transcodeTestVideo(request, title, seconds, size);
  const published = await request.patch(`/api/admin/videos/${videoId}`, {
    data: { published: true },
  });
  expect(published.status(), await published.text()).toBe(200);
  return videoId;
}
