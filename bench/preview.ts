import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** A local preview distribution started for a benchmark, with a throwaway DATA_DIR. */
export interface Preview {
  base: string;
  dataDir: string;
  admin: { email: string; password: string };
  stop(): Promise<void>;
}

export async function startPreview(
  port: number,
  env: Record<string, string> = {},
): Promise<Preview> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "reelgate-bench-"));
  const admin = { email: "bench@reelgate.test", password: "bench-password-123" };
  const child: ChildProcess = spawn("npm", ["start"], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  // The cookies name the public origin (http://localhost:PORT), so requests must use it too.
  const base = `http://localhost:${port}`;
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error("the preview exited during start");
    const res = await fetch(`${base}/api/health`).catch(() => null);
    if (res?.ok) break;
    if (Date.now() > deadline) throw new Error("the preview did not start");
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    base,
    dataDir,
    admin,
    async stop() {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
      await new Promise((r) => setTimeout(r, 1500));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in with NextAuth's credentials flow; returns the Cookie header to send. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  keep(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: header(),
      "x-auth-return-redirect": "1",
    },
    body: new URLSearchParams({ email, password, csrfToken }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error("sign-in failed");
  return header();
}

/** POST /api/signed-cookies and return the three CloudFront cookies as a Cookie header. */
export async function mediaCookies(base: string, session: string): Promise<string> {
  const res = await fetch(`${base}/api/signed-cookies`, {
    method: "POST",
    headers: { cookie: session },
  });
  if (!res.ok) throw new Error(`signed-cookies answered ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}
