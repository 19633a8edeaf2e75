import { existsSync } from "node:fs";
import path from "node:path";
import { dataDir, expect, expectApiError, localOnly, remote, test } from "./support";
import { readBytes, tempFile, testVideo, uploadViaApi } from "./media-fixtures";

test.describe.configure({ mode: "serial" });

test("an admin uploads a video, it is transcoded, published, and a member can stream it", async ({
  adminPage,
  memberPage,
}) => {
  test.setTimeout(300_000);
  const file = testVideo(12);
  const title = `E2E upload ${Date.now()}`;

  await adminPage.goto("/admin/upload");
  await adminPage.getByLabel("Choose video files").setInputFiles(file);
  await adminPage.getByLabel("Title").fill(title);
  await adminPage.getByRole("button", { name: "Start upload" }).click();
  const bar = adminPage.getByRole("progressbar").first();
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 60_000 });
  await expect(adminPage.getByText("Upload complete")).toBeVisible();

  await adminPage.goto("/admin/videos");
  const row = adminPage.locator("[data-video-id]", { hasText: title });
  await expect(row).toBeVisible();
  // Queued or processing first, then ready (the list refreshes itself).
  await expect(row.getByText(/Queued|Processing|Ready/)).toBeVisible();
  await expect(row.getByText("Ready", { exact: true })).toBeVisible({ timeout: 180_000 });
  await row.getByRole("button", { name: "Publish" }).click();
  await expect(row.getByRole("button", { name: "Unpublish" })).toBeVisible();
  const videoId = await row.getAttribute("data-video-id");

  const list = await memberPage.request.get("/api/videos");
  const { videos } = (await list.json()) as {
    videos: { id: string; title: string; playlistUrl: string; posterUrl: string }[];
  };
  const video = videos.find((v) => v.id === videoId);
  expect(video?.title).toBe(title);

  // Without cookies the media is refused; with them the ladder plays.
  expect((await memberPage.request.delete("/api/signed-cookies")).status()).toBe(204);
  expect((await memberPage.request.get(video!.playlistUrl)).status()).toBe(403);
  const issued = await memberPage.request.post("/api/signed-cookies", { data: { videoId } });
  expect(issued.status(), await issued.text()).toBe(200);
  const master = await memberPage.request.get(video!.playlistUrl);
  expect(master.status()).toBe(200);
  const text = await master.text();
  expect(text).toContain("#EXTM3U");
  expect(text).toMatch(/#EXT-X-STREAM-INF:.*BANDWIDTH=\d+/);
  expect(text).toMatch(/RESOLUTION=\d+x\d+/);
  expect(text).toMatch(/CODECS="avc1\.[0-9a-fA-F]+/);
  const variant = text.split("\n").find((l) => l && !l.startsWith("#"))!;
  const variantUrl = new URL(variant, new URL(video!.playlistUrl, "http://x")).pathname;
  const playlist = await memberPage.request.get(variantUrl);
  expect(playlist.status()).toBe(200);
  const segment = (await playlist.text()).split("\n").find((l) => l && !l.startsWith("#"))!;
  const seg = await memberPage.request.get(
    new URL(segment, new URL(variantUrl, "http://x")).pathname,
  );
  expect(seg.status()).toBe(200);
  expect((await seg.body()).length).toBeGreaterThan(1000);
  const poster = await memberPage.request.get(video!.posterUrl);
  expect(poster.headers()["content-type"]).toBe("image/jpeg");
});

test.describe("refused uploads leave nothing behind", () => {
  async function expectNoVideo(adminPage: import("@playwright/test").Page, videoId: string) {
    const res = await adminPage.request.get(`/api/admin/videos/${videoId}`);
    expect(res.status()).toBe(404);
    if (!remote) expect(existsSync(path.join(dataDir, "bucket", "uploads", videoId))).toBe(false);
  }

  test("a text file renamed .mp4 is refused at completion with the reason", async ({
    adminPage,
  }) => {
    const bytes = Buffer.from("this is not a video, just text\n".repeat(100));
    const { upload, parts } = await uploadViaApi(adminPage.request, {
      name: "notes.mp4",
      type: "video/mp4",
      bytes,
    });
    const res = await adminPage.request.post(`/api/admin/uploads/${upload.id}/complete`, {
      data: { parts },
    });
    const error = await expectApiError(res, 422);
    expect(error.message).toMatch(/video|media|recogni/i);
    await expectNoVideo(adminPage, upload.videoId);
  });

  test("a truncated video is refused at completion", async ({ adminPage }) => {
    const whole = readBytes(testVideo(12));
    const bytes = whole.subarray(0, Math.floor(whole.length * 0.3));
    const { upload, parts } = await uploadViaApi(adminPage.request, {
      name: "cut.mp4",
      type: "video/mp4",
      bytes,
    });
    const res = await adminPage.request.post(`/api/admin/uploads/${upload.id}/complete`, {
      data: { parts },
    });
    await expectApiError(res, 422);
    await expectNoVideo(adminPage, upload.videoId);
  });

  const refusedAtCreate = [
    {
      name: "a zero-byte file",
      body: { fileName: "empty.mp4", contentType: "video/mp4", sizeBytes: 0, title: "x" },
      status: 422,
    },
    {
      name: "a file over the limit",
      body: {
        fileName: "huge.mp4",
        contentType: "video/mp4",
        sizeBytes: 11 * 1024 ** 3,
        title: "x",
      },
      status: 413,
    },
    {
      name: "an unknown MIME type",
      body: {
        fileName: "clip.mp4",
        contentType: "application/x-msdownload",
        sizeBytes: 1000,
        title: "x",
      },
      status: 415,
    },
    {
      name: "a non-video extension",
      body: { fileName: "clip.exe", contentType: "video/mp4", sizeBytes: 1000, title: "x" },
      status: 415,
    },
    {
      name: "a missing title",
      body: { fileName: "clip.mp4", contentType: "video/mp4", sizeBytes: 1000, title: "" },
      status: 422,
    },
    {
      name: "a wrong type for the size",
      body: { fileName: "clip.mp4", contentType: "video/mp4", sizeBytes: "big", title: "x" },
      status: 422,
    },
  ];
  for (const c of refusedAtCreate) {
    test(`${c.name} is refused with ${c.status}`, async ({ adminPage }) => {
      const before = (
        (await (await adminPage.request.get("/api/admin/videos")).json()) as { videos: unknown[] }
      ).videos.length;
      await expectApiError(
        await adminPage.request.post("/api/admin/uploads", { data: c.body }),
        c.status,
      );
      const after = (
        (await (await adminPage.request.get("/api/admin/videos")).json()) as { videos: unknown[] }
      ).videos.length;
      expect(after).toBe(before);
    });
  }

  test("a member cannot upload", async ({ memberPage }) => {
    await expectApiError(
      await memberPage.request.post("/api/admin/uploads", {
        data: { fileName: "a.mp4", contentType: "video/mp4", sizeBytes: 10, title: "a" },
      }),
      403,
    );
  });

  test("completing twice is a conflict, and the first completion stands", async ({ adminPage }) => {
    const bytes = readBytes(testVideo(4, "320x240"));
    const { upload, parts } = await uploadViaApi(adminPage.request, {
      name: "twice.mp4",
      type: "video/mp4",
      bytes,
    });
    expect(
      (
        await adminPage.request.post(`/api/admin/uploads/${upload.id}/complete`, {
          data: { parts },
        })
      ).status(),
    ).toBe(200);
    await expectApiError(
      await adminPage.request.post(`/api/admin/uploads/${upload.id}/complete`, { data: { parts } }),
      409,
    );
    const video = await adminPage.request.get(`/api/admin/videos/${upload.videoId}`);
    expect(video.status()).toBe(200);
    await adminPage.request.delete(`/api/admin/videos/${upload.videoId}`);
  });

  test("a missing part is refused and the upload can still be finished", async ({ adminPage }) => {
    localOnly("needs a part size small enough for a multi-part test file");
    const bytes = readBytes(testVideo(12));
    const { upload, parts } = await uploadViaApi(adminPage.request, {
      name: "gap.mp4",
      type: "video/mp4",
      bytes,
    });
    const withGap = parts.filter((p) => p.partNumber !== 1);
    const error = await expectApiError(
      await adminPage.request.post(`/api/admin/uploads/${upload.id}/complete`, {
        data: { parts: withGap.length ? withGap : [{ partNumber: 2, etag: "x" }] },
      }),
      422,
    );
    expect(error.message).toMatch(/part 1/i);
    const state = await adminPage.request.get(`/api/admin/uploads/${upload.id}`);
    expect(((await state.json()) as { status: string }).status).toBe("open");
    await adminPage.request.delete(`/api/admin/uploads/${upload.id}`);
    await expectNoVideo(adminPage, upload.videoId);
  });
});

test("a text file picked in the upload page is refused before any byte is sent", async ({
  adminPage,
}) => {
  // The browser refuses by type: a text file picked in the upload page.
  const file = tempFile("readme.txt", "hello");
  await adminPage.goto("/admin/upload");
  await adminPage.getByLabel("Choose video files").setInputFiles(file);
  await expect(adminPage.getByText(/Not a supported video file \(\.txt\)/)).toBeVisible();
});
