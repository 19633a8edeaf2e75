import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { waitFor } from "../support/wait";

// `npm run worker` outside ECS: its records are JSON lines on stdout and in
// DATA_DIR/logs/worker.log, as npm start's are in reelgate.log. Needs Postgres (the
// worker process refuses PGlite).

const url = process.env.TEST_DATABASE_URL;
const root = path.resolve(import.meta.dirname, "../..");

describe.skipIf(!url)("the worker process's log", () => {
  let tmp: string;
  let dbUrl: string;
  let child: ChildProcess | undefined;
  let stdout = "";

  beforeAll(async () => {
    const { Client } = await import("pg");
    const name = `reelgate_worker_logs_${process.pid}`;
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(url!);
    u.pathname = `/${name}`;
    dbUrl = u.toString();
    const { openDatabase } = await import("@/lib/db/client");
    const database = await openDatabase({ url: dbUrl });
    await database.migrate();
    await database.close();
    tmp = mkdtempSync(path.join(os.tmpdir(), "worker-logs-"));
  }, 10_000);

  afterAll(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("writes JSON records to DATA_DIR/logs/worker.log and stdout", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: dbUrl, DATA_DIR: tmp };
    delete env.REELGATE_STAGE;
    child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts"],
      { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child!.on("exit", resolve));
    const file = path.join(tmp, "logs", "worker.log");
    const started = () =>
      existsSync(file) && readFileSync(file, "utf8").includes('"msg":"worker started"');
    await waitFor("the worker's start record", () => started() || undefined, 60_000);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);

    const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.find((r) => r.msg === "worker started")).toMatchObject({ concurrency: 1 });
    expect(records.find((r) => r.msg === "SIGTERM: finishing")).toMatchObject({
      level: "info",
      process: "worker",
    });
    for (const r of records) {
      expect(r.process).toBe("worker");
      expect(new Date(String(r.time)).toISOString()).toBe(r.time);
    }
    // The same records on stdout.
    const out = stdout.split("\n").filter(Boolean);
    expect(out).toEqual(lines);
  }, 90_000);
});
