import "server-only";
import { getDatabase } from "@/lib/db";
import { getStorage } from "@/lib/storage";
import { getSecrets } from "@/lib/secrets";
import { ffmpegStatus } from "@/lib/media";
import type { Health } from "@/lib/contract/types";

type Check = { ok: boolean; detail?: string };

// The first three are needed to serve members; without ffmpeg the portal still
// streams what is already transcoded, so it degrades the answer without failing it
// (the ALB must not kill API tasks because the worker's tool is missing).
const CRITICAL = ["database", "storage", "signer"] as const;

async function settle(name: string, run: () => Promise<Check>): Promise<[string, Check]> {
  try {
    return [name, await run()];
  } catch (err) {
    // Names the failing part without leaking internals such as connection strings.
    const detail =
      err instanceof Error ? err.message.replace(/postgres(ql)?:\/\/\S+/g, "<url>") : "failed";
    return [name, { ok: false, detail }];
  }
}

export async function health(): Promise<{ status: number; body: Health }> {
  const checks = Object.fromEntries(
    await Promise.all([
      settle("database", async () => {
        const database = await getDatabase();
        await database.ping();
        return { ok: true, detail: database.driver };
      }),
      settle("storage", () => getStorage().check()),
      settle("signer", () => getSecrets().check()),
      settle("ffmpeg", async () => {
        const s = await ffmpegStatus();
        return { ok: s.ok, detail: s.ok ? s.ffmpeg : s.error };
      }),
    ]),
  );
  const down = CRITICAL.some((name) => !checks[name]?.ok);
  const degraded = Object.values(checks).some((c) => !c.ok);
  return {
    status: down ? 503 : 200,
    body: { status: degraded ? "degraded" : "ok", checks },
  };
}
