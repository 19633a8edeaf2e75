import { afterEach, describe, expect, it, vi } from "vitest";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

// getStorage() caches the env and the instance per process; each case starts clean.
async function freshGetStorage() {
  vi.resetModules();
  delete (globalThis as { __reelgateStorage?: unknown }).__reelgateStorage;
  return (await import("@/lib/storage")).getStorage;
}

describe("getStorage", () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.unstubAllEnvs();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("uses the local bucket folder under DATA_DIR when STORAGE_DRIVER=local, built once", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "reelgate-data-"));
    dirs.push(dataDir);
    vi.stubEnv("DATA_DIR", dataDir);
    vi.stubEnv("STORAGE_DRIVER", "local");
    const getStorage = await freshGetStorage();
    const storage = getStorage();
    expect(getStorage()).toBe(storage);
    await storage.put("media/hello.txt", "hi");
    expect(existsSync(path.join(dataDir, "bucket", "media", "hello.txt"))).toBe(true);
    expect(typeof storage.receivePart).toBe("function");
  });

  it("uses S3 when STORAGE_DRIVER=s3", async () => {
    vi.stubEnv("STORAGE_DRIVER", "s3");
    vi.stubEnv("MEDIA_BUCKET", "my-media");
    vi.stubEnv("AWS_REGION", "eu-central-1");
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIATESTTESTTEST");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test-secret");
    const storage = (await freshGetStorage())();
    expect(typeof storage.receivePart).toBe("undefined");
    const { url } = await storage.partUrl({
      key: "uploads/u/original",
      multipartId: "mp",
      partNumber: 2,
      uploadId: "u",
    });
    expect(new URL(url).hostname).toBe("my-media.s3.eu-central-1.amazonaws.com");
  });
});
