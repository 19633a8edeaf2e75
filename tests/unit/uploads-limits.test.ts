import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { jobs, uploads, videos } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { testDatabase, useAsAppDatabase } from "./helpers/db";

// Sources over the documented limits (UPLOAD_MAX_SIDE, UPLOAD_MAX_FPS,
// UPLOAD_MAX_DURATION_SECONDS) are refused when the upload is completed, with a 422 that
// names the limit, and leave no video, job or original behind. The limits are set low here
// so that the sources stay tiny.

const dataDir = mkdtempSync(path.join(os.tmpdir(), "reelgate-limits-"));
process.env.DATA_DIR = dataDir;
process.env.STORAGE_DRIVER = "local";
process.env.UPLOAD_MAX_SIDE = "320";
process.env.UPLOAD_MAX_FPS = "30";
process.env.UPLOAD_MAX_DURATION_SECONDS = "3";
const service = await import("@/lib/uploads/service");
const { getStorage } = await import("@/lib/storage");
const { createUser } = await import("@/lib/auth/users");

function source(
  name: string,
  { size, rate, seconds }: { size: string; rate: number; seconds: number },
) {
  const file = path.join(dataDir, name);
  execFileSync("ffmpeg", [
    ...["-v", "error", "-y", "-f", "lavfi", "-i", `testsrc2=size=${size}:rate=${rate}`],
    ...["-t", String(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
    file,
  ]);
  return file;
}

describe("upload limits at completion", () => {
  let database: Database;
  let restoreDb: () => void;
  let adminId: string;

  beforeAll(async () => {
    database = await testDatabase();
    restoreDb = useAsAppDatabase(database);
    adminId = (
      await createUser({ email: "admin@limits.test", role: "admin", password: "admin-password-1" })
    ).id;
  }, 60_000);

  afterAll(async () => {
    restoreDb();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function complete(file: string) {
    const bytes = readFileSync(file);
    const state = await service.createUpload(adminId, {
      fileName: path.basename(file),
      contentType: "video/mp4",
      sizeBytes: statSync(file).size,
      title: path.basename(file),
      description: "",
    });
    const part = await service.receivePart(state.id, 1, new Blob([bytes]).stream());
    const result = await service
      .completeUpload(state.id, [{ partNumber: 1, etag: part.etag }])
      .catch((err: unknown) => err as { status: number; code: string; message: string });
    return { state, result };
  }

  const cases: [string, { size: string; rate: number; seconds: number }, RegExp][] = [
    ["too wide", { size: "640x240", rate: 25, seconds: 1 }, /640x240.*320 pixels a side/],
    ["too tall", { size: "240x640", rate: 25, seconds: 1 }, /240x640.*320 pixels a side/],
    ["too many frames a second", { size: "160x120", rate: 60, seconds: 1 }, /60 frames.*30/],
    ["too long", { size: "160x120", rate: 10, seconds: 5 }, /0:05.*0:03/],
  ];

  it.each(cases)(
    "a source %s is a 422 naming the limit, and nothing is kept",
    async (_, spec, message) => {
      const { state, result } = await complete(
        source(`${spec.size}-${spec.rate}-${spec.seconds}.mp4`, spec),
      );
      const storageKey = `uploads/${state.videoId}/original.mp4`;
      expect(result).toMatchObject({ status: 422, code: "unprocessable" });
      expect((result as { message: string }).message).toMatch(message);
      expect(await database.db.select().from(videos).where(eq(videos.id, state.videoId))).toEqual(
        [],
      );
      expect(await database.db.select().from(jobs).where(eq(jobs.videoId, state.videoId))).toEqual(
        [],
      );
      expect(await database.db.select().from(uploads).where(eq(uploads.id, state.id))).toEqual([]);
      expect(await getStorage().head(storageKey)).toBeNull();
    },
    60_000,
  );

  it("a source within every limit is queued", async () => {
    const { state, result } = await complete(
      source("ok.mp4", { size: "320x240", rate: 30, seconds: 2 }),
    );
    expect(result).toEqual({ videoId: state.videoId, status: "queued" });
  }, 60_000);
});
