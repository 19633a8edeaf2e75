/**
 * `npm start`: the whole portal on one machine, no cloud account.
 *
 *   1. validates the configuration (a bad variable stops here, named);
 *   2. builds the static export and the API server when missing or stale;
 *   3. makes the dev CloudFront key pair (ECDSA P-256) on first start, unless
 *      CLOUDFRONT_PRIVATE_KEY_FILE names the key; an older RSA dev key is kept;
 *   4. starts the API server (Next.js standalone; it migrates the database, creates
 *      the first admin and, on PGlite, runs the transcode worker in-process);
 *   5. starts the preview edge on PORT in front of it;
 *   6. restarts the API server if it dies, and stops everything on Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, readdirSync, statSync, writeSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { EnvError, parseEnv, type Env } from "../lib/env";
import { activeKeyPairId, previewTrustedKeySpec } from "../lib/secrets";
import { ffmpegStatus } from "../lib/media";
import { removePreviewPids, writePreviewPids } from "../lib/ops/preview-pids";
import { createEdgeServer } from "../edge/server";
import { createVerifier, loadTrustedKeys } from "../edge/cloudfront";
import { finishStaticBuild } from "./finish-static-build";
import { createLogger, parseLogLevel, setRootLogger } from "../lib/observability/logger";
import { createEdgeObserver, serveMetrics } from "../lib/observability/edge-metrics";
import { LogLines, readableLine } from "./log-lines";

const root = process.cwd();
// Every record of the preview (this supervisor's, the edge's and the API server's) also
// goes to DATA_DIR/logs/reelgate.log, one JSON object per line, so that operators (and
// the tests that prove no secret is ever logged) can read and parse it later.
let logFile: number | undefined;
const lines = new LogLines((batch, forFile) => {
  process.stdout.write(
    process.stdout.isTTY ? batch.map(readableLine).join("") : batch.join("\n") + "\n",
  );
  // Written at once, so that nothing queued is lost when the process exits.
  if (logFile !== undefined) writeSync(logFile, forFile.join("\n") + "\n");
});
const level = parseLogLevel(process.env.LOG_LEVEL);
const sink = { write: (text: string) => lines.push("supervisor", text) };
const supervisor = setRootLogger(createLogger("supervisor", level, sink));
const log = (line: string) => supervisor.info(line);

function loadConfig(): Env {
  try {
    return parseEnv({ ...process.env, REELGATE_ROOT: root });
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

// --- builds ---------------------------------------------------------------

const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "next.config.mjs",
  "package-lock.json",
  "tsconfig.json",
  "instrumentation.ts",
  "proxy.ts",
  "postcss.config.mjs",
  "scripts/finish-static-build.ts",
  "scripts/hls-asset.mjs",
];

function newestMtime(entry: string): number {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const info = statSync(full);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const name of readdirSync(full))
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

/**
 * Builds `target` unless its output is newer than every source. The output's own
 * marker file is the stamp, so `npm run build` counts as much as a build made here.
 */
function ensureBuilt(target: "static" | "api", marker: string, force: boolean): void {
  const sourcesChanged = Math.max(...SOURCES.map(newestMtime));
  const built = existsSync(path.join(root, marker)) ? statSync(path.join(root, marker)).mtimeMs : 0;
  if (!force && built >= sourcesChanged) return;
  log(`building ${target} (${built ? "sources changed" : "first build"})...`);
  const started = Date.now();
  const result = spawnSync("npx", ["next", "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, BUILD_TARGET: target, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) {
    supervisor.error(`the ${target} build failed (see above)`);
    process.exit(1);
  }
  if (target === "static") finishStaticBuild(root);
  log(`built ${target} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// --- processes ------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForApi(port: number, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the API server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error("the API server did not answer within 2 minutes");
}

async function main(): Promise<void> {
  const config = loadConfig();
  const rebuild = process.argv.includes("--rebuild");
  mkdirSync(path.join(config.dataDir, "logs"), { recursive: true });
  logFile = openSync(path.join(config.dataDir, "logs", "reelgate.log"), "a");

  const ffmpeg = await ffmpegStatus();
  if (!ffmpeg.ok) {
    log(
      `WARNING: ffmpeg is not available (${ffmpeg.error}). Uploads will fail to transcode until it is installed:`,
    );
    log(
      "  Debian/Ubuntu: sudo apt-get install -y ffmpeg   macOS: brew install ffmpeg   or set FFMPEG_PATH",
    );
  }

  ensureBuilt("static", "out/404.html", rebuild);
  ensureBuilt("api", ".next-api/standalone/server.js", rebuild);

  // The key the API server signs with (CLOUDFRONT_PRIVATE_KEY_FILE, else the dev key, made
  // here on first start) and its ID, which the edge's key group lists under the same ID.
  const keyPairId = await activeKeyPairId();
  const trustedKeys = loadTrustedKeys(await previewTrustedKeySpec());
  const apiPort = config.API_PORT ?? (await freePort());
  // The edge's metrics, on a loopback port of their own for the API's admin endpoint to
  // merge (lib/observability/edge-metrics.ts says why).
  const edgeLog = createLogger("edge", level, {
    write: (text: string) => lines.push("edge", text),
  });
  const edgeObserver = createEdgeObserver(edgeLog);
  const edgeMetrics = await serveMetrics(edgeObserver.registry, await freePort());
  const edgeMetricsUrl = `http://127.0.0.1:${(edgeMetrics.address() as net.AddressInfo).port}/metrics`;
  // Next's standalone build behind a thin entry that calls the hottest route's handler
  // directly (scripts/api-server.mjs says why).
  const server = path.join(root, "scripts/api-server.mjs");

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(apiPort),
    HOSTNAME: "127.0.0.1",
    REELGATE_ROOT: root,
    DATA_DIR: config.dataDir,
    AUTH_URL: config.publicOrigin,
    CLOUDFRONT_KEY_PAIR_ID: keyPairId,
    NEXT_TELEMETRY_DISABLED: "1",
    EDGE_METRICS_URL: edgeMetricsUrl,
  };
  // The API server must not inherit tsx's loader flags.
  delete childEnv.NODE_OPTIONS;

  let api: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  // DATA_DIR/pids.json: who the edge and the API server are (lib/ops/preview-pids.ts).
  const recordPids = () =>
    writePreviewPids(config.dataDir, { edge: process.pid, api: api?.pid ?? null });
  const startApi = (): ChildProcess => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, [server], {
      cwd: root,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Lines that are not JSON (a crash's stack, before the logger exists) are wrapped.
    child.stdout?.on("data", (chunk: Buffer) => lines.push("api", chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => lines.push("api:stderr", chunk.toString()));
    child.on("exit", (code, signal) => {
      if (stopping) return;
      api = undefined;
      recordPids();
      // The back-off is for a server that keeps dying; one that ran a minute starts over.
      if (Date.now() - startedAt > 60_000) restarts = 0;
      restarts += 1;
      const delay = Math.min(10_000, 500 * 2 ** Math.min(restarts, 5));
      log(`API server exited (${signal ?? code}); restarting in ${delay} ms`);
      setTimeout(() => {
        if (stopping) return;
        api = startApi();
        recordPids();
      }, delay);
    });
    return child;
  };
  api = startApi();
  recordPids();
  await waitForApi(apiPort, api);
  restarts = 0;

  const edge = createEdgeServer({
    siteDir: path.join(root, "out"),
    bucketDir: path.join(config.dataDir, "bucket"),
    api: { host: "127.0.0.1", port: apiPort },
    adminCidrs: config.ADMIN_ALLOWED_CIDRS,
    verify: createVerifier(trustedKeys),
    publicOrigin: config.publicOrigin,
    log: (line) => edgeLog.error(line),
    observe: edgeObserver.observe,
  });
  recordPids();
  await new Promise<void>((resolve, reject) => {
    edge.once("error", reject);
    edge.listen(config.PORT, config.HOST, () => resolve());
  });
  log(
    `Reelgate is running at ${config.publicOrigin}  (edge on ${config.HOST}:${config.PORT}, API on 127.0.0.1:${apiPort})`,
  );
  log(`data in ${config.dataDir}; trusted media keys: ${trustedKeys.map((k) => k.id).join(", ")}`);

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    edge.close();
    edge.closeAllConnections();
    edgeMetrics.close();
    const child = api;
    const done = () => {
      lines.flush();
      removePreviewPids(config.dataDir);
      process.exit(0);
    };
    if (!child || child.exitCode !== null) return done();
    child.once("exit", done);
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  supervisor.fatal(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
  lines.flush();
  process.exit(1);
});
