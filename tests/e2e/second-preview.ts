import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "@playwright/test";

/** A preview of its own, for specs that need settings the suite's preview does not have. */
export interface SecondPreview {
  base: string;
  admin: { email: string; password: string };
  stop: () => void;
}

/**
 * Starts `npm start` on `port` with a throwaway DATA_DIR and `env` on top (e.g. short
 * cookie lifetimes), and waits until it answers. Call `stop` in afterAll.
 */
export async function startSecondPreview(
  name: string,
  port: number,
  env: Record<string, string>,
): Promise<SecondPreview> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `reelgate-${name}-`));
  const admin = { email: `${name}-admin@e2e.test`, password: `${name}-admin-password-1` };
  const child: ChildProcess = spawn("npm", ["start"], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      ...env,
    },
    stdio: "ignore",
    detached: true,
  });
  const base = `http://localhost:${port}`;
  await expect
    .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status ?? 0, {
      timeout: 280_000,
      intervals: [1000],
    })
    .toBe(200);
  return {
    base,
    admin,
    stop() {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
