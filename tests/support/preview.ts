import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readPreviewPids, type PreviewPids } from "../../lib/ops/preview-pids";
import { api } from "./upload";

/**
 * A local preview distribution (`npm start`) started for a benchmark or a test, in its
 * own process group so that it can be stopped (or killed) whole.
 */
export interface Preview {
  base: string;
  dataDir: string;
  admin: { email: string; password: string };
  /** The process group of `npm start`: npm, scripts/start.ts, the API server, ffmpeg. */
  pgid: number;
  /** What the preview printed so far (DATA_DIR/logs/reelgate.log), e.g. the edge's denials. */
  log(): string;
  /** SIGTERM to the whole group, then waits until every process of it is gone. */
  stop(): Promise<void>;
  /** SIGKILL to the whole group (nothing can clean up), then waits until it is gone. */
  kill(): Promise<void>;
}

export interface PreviewOptions {
  /** Extra environment for `npm start`. */
  env?: Record<string, string>;
  /**
   * An existing DATA_DIR to start on (a restart). The caller owns it: stop() and kill()
   * leave it in place. Without it, a throwaway folder is made and stop() removes it.
   */
  dataDir?: string;
  /** Where the preview's output goes: "ignore" (default) or "inherit". */
  output?: "ignore" | "inherit";
  /** How long to wait for /api/health (default 10 minutes: the first start builds). */
  startTimeoutMs?: number;
}

const admin = { email: "bench@reelgate.test", password: "bench-password-123" };

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to the group and waits until none of its processes is left. */
async function endGroup(pgid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  try {
    process.kill(-pgid, signal);
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) {
      process.kill(-pgid, "SIGKILL");
      await new Promise((r) => setTimeout(r, 500));
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startPreview(port: number, options: PreviewOptions = {}): Promise<Preview> {
  const owned = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "reelgate-bench-"));
  const child: ChildProcess = spawn("npm", ["start"], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      ...options.env,
    },
    stdio: ["ignore", options.output ?? "ignore", "inherit"],
    detached: true,
  });
  const pgid = child.pid!;
  // The cookies name the public origin (http://localhost:PORT), so requests must use it too.
  const base = `http://localhost:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 600_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error("the preview exited during start");
    const res = await fetch(`${base}/api/health`).catch(() => null);
    await res?.body?.cancel();
    if (res?.ok) break;
    if (Date.now() > deadline) {
      await endGroup(pgid, "SIGKILL", 10_000);
      throw new Error("the preview did not start");
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    base,
    dataDir,
    admin,
    pgid,
    log: () => readFileSync(path.join(dataDir, "logs", "reelgate.log"), "utf8"),
    async stop() {
      // The API server closes its database on SIGTERM; give it time before forcing.
      await endGroup(pgid, "SIGTERM", 30_000);
      if (owned) rmSync(dataDir, { recursive: true, force: true });
    },
    async kill() {
      await endGroup(pgid, "SIGKILL", 30_000);
      if (owned) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The preview's processes by role (DATA_DIR/pids.json); throws when it wrote none. */
export function previewPids(dataDir: string): PreviewPids {
  const pids = readPreviewPids(dataDir);
  if (!pids) throw new Error(`no pids.json in ${dataDir}`);
  return pids;
}

/** The pid of the preview's current API server process, or null when there is none. */
export function apiServerPid(dataDir: string): number | null {
  return readPreviewPids(dataDir)?.api ?? null;
}

/** Creates a member account through the admin API (the admin's session). */
export async function createMember(
  base: string,
  adminSession: string,
  email: string,
  password: string,
): Promise<void> {
  await api(base, adminSession, "POST", "/api/admin/users", { email, password, role: "member" });
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
  if (!csrfRes.ok) throw new Error(`GET /api/auth/csrf answered ${csrfRes.status}`);
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
  await res.body?.cancel();
  if (!res.ok) throw new Error(`the credentials callback answered ${res.status}`);
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error("sign-in failed");
  return header();
}

/** A video's playback cookies (POST /api/signed-cookies `{videoId}`) as a Cookie header. */
export async function mediaCookies(base: string, session: string, videoId: string): Promise<string> {
  return (await issueMediaCookies(base, session, videoId)).cookie;
}

/**
 * POST /api/signed-cookies for a video's playback cookies (or, without `videoId`, the
 * catalog's): the CloudFront cookies as a Cookie header for media requests, when they
 * expire (the body's `expiresAt`), the server's `Date` header and its `renewAfterSeconds`,
 * which is what the browser's renewal schedule works from, and the device cookie the API
 * set (null when `session` carried one): send it with later issues, as a browser would,
 * or each renewal counts as a new device against the stream limit.
 */
export async function issueMediaCookies(
  base: string,
  session: string,
  videoId?: string,
): Promise<{
  cookie: string;
  expiresAt: Date;
  serverDate: Date | null;
  renewAfterSeconds: number;
  device: string | null;
}> {
  const res = await fetch(`${base}/api/signed-cookies`, {
    method: "POST",
    headers: videoId
      ? { cookie: session, "content-type": "application/json" }
      : { cookie: session },
    ...(videoId ? { body: JSON.stringify({ videoId }) } : {}),
  });
  if (!res.ok) {
    const text = await res.text().catch(() => "");
    throw new Error(`signed-cookies answered ${res.status}: ${text.slice(0, 200)}`);
  }
  const { expiresAt, renewAfterSeconds } = (await res.json()) as {
    expiresAt: string;
    renewAfterSeconds: number;
  };
  const date = res.headers.get("date");
  const pairs = res.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
  return {
    cookie: pairs.filter((p) => p.startsWith("CloudFront-")).join("; "),
    expiresAt: new Date(expiresAt),
    serverDate: date ? new Date(date) : null,
    renewAfterSeconds,
    device: pairs.find((p) => p.startsWith("rg-device=")) ?? null,
  };
}

/** What one process uses: memory now and at its peak, CPU time so far. */
export interface ProcessUsage {
  pid: number;
  rssBytes: number;
  /** Peak resident set size since the process started; null where the OS does not say. */
  peakRssBytes: number | null;
  /** User plus system CPU time since the process started; null where the OS does not say. */
  cpuSeconds: number | null;
}

/**
 * A process's memory and CPU time: Linux `VmRSS`, `VmHWM` and the `utime` + `stime` of
 * /proc (in USER_HZ ticks, 100 a second on every Linux ABI); elsewhere `ps`, RSS only.
 */
export function processUsage(pid: number): ProcessUsage {
  if (existsSync("/proc/self/status")) {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const bytes = (field: string) => {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
      if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
      return Number(m[1]) * 1024;
    };
    // Fields after the command name, which is in parentheses and may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return {
      pid,
      rssBytes: bytes("VmRSS"),
      peakRssBytes: bytes("VmHWM"),
      cpuSeconds: ticks / 100,
    };
  }
  const kib = Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }));
  return { pid, rssBytes: kib * 1024, peakRssBytes: null, cpuSeconds: null };
}
