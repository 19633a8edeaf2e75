/**
 * `npm run worker`: a transcode worker process. Run as many as you like, on one
 * machine or many, against one Postgres (DATABASE_URL). With the embedded PGlite
 * the API server runs the worker itself, since only one process may open it.
 */
import path from "node:path";
import pino from "pino";
import { EnvError, env } from "../lib/env";
import { closeDatabase, getDb } from "../lib/db";
import { startQueueDepthMetric, startWorker } from "../lib/jobs";
import { ffmpegStatus } from "../lib/media";
import { createLogger, parseLogLevel, setRootLogger } from "../lib/observability/logger";
import { startObservability } from "../lib/observability/start-observability";

const level = parseLogLevel(process.env.LOG_LEVEL);
let log = setRootLogger(createLogger("worker", level));

async function main(): Promise<void> {
  let config;
  try {
    config = env();
  } catch (err) {
    log.fatal(err instanceof EnvError ? err.message : String(err));
    process.exit(2);
  }
  if (!config.DATABASE_URL) {
    log.fatal(
      "npm run worker needs DATABASE_URL (Postgres). With the embedded PGlite database, `npm start` runs the worker inside the API server.",
    );
    process.exit(2);
  }
  // Outside ECS (no stage) the records also go to DATA_DIR/logs, as npm start's do; on
  // ECS stdout is what reaches CloudWatch Logs.
  if (!config.REELGATE_STAGE) {
    const file = pino.destination({
      dest: path.join(config.dataDir, "logs", "worker.log"),
      mkdir: true,
      sync: true,
    });
    const streams = pino.multistream([
      { level, stream: pino.destination(1) },
      { level, stream: file },
    ]);
    log = setRootLogger(createLogger("worker", level, streams));
  }
  const ffmpeg = await ffmpegStatus();
  if (!ffmpeg.ok) log.warn(`${ffmpeg.error}; jobs will fail with that reason.`);
  const worker = startWorker({ concurrency: config.WORKER_CONCURRENCY });
  startObservability();
  const metric = config.REELGATE_STAGE
    ? startQueueDepthMetric({ db: await getDb(), stage: config.REELGATE_STAGE })
    : undefined;
  const stop = async (signal: string) => {
    log.info(`${signal}: finishing`);
    metric?.stop();
    await worker.stop();
    await closeDatabase();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  log.info({ concurrency: config.WORKER_CONCURRENCY }, "worker started");
}

void main();
