import "server-only";
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

/** The processes that log: each record names its own in `process`. */
export type ProcessName = "edge" | "api" | "worker" | "supervisor" | "cli";

/** The log levels LOG_LEVEL takes (pino's). */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Fields that may carry a secret if a caller ever passes a request or a user object: pino
 * replaces them before the line is written. Belt and braces: the access records name
 * their fields one by one and never log headers, query strings or bodies.
 */
export const REDACTED_PATHS = [
  "password",
  "passwordHash",
  "*.password",
  "*.passwordHash",
  "cookie",
  "cookies",
  "headers.cookie",
  "headers.authorization",
  'headers["set-cookie"]',
  "*.headers.cookie",
  "*.headers.authorization",
  'headers["x-origin-verify"]',
];

/**
 * pino's options for every Reelgate process: one JSON object per line with `level` as a
 * word, `time` in ISO 8601, `process`, and `msg`. The API server's entry
 * (scripts/api-server.mjs, plain JavaScript) builds its logger with the same settings.
 */
export function loggerOptions(processName: ProcessName, level: LogLevel): LoggerOptions {
  return {
    level,
    base: { process: processName, pid: process.pid },
    messageKey: "msg",
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
}

/** A logger writing to `destination` (stdout by default: CloudWatch Logs on ECS). */
export function createLogger(
  processName: ProcessName,
  level: LogLevel,
  destination?: DestinationStream,
): Logger {
  return pino(loggerOptions(processName, level), destination ?? pino.destination(1));
}

// The process's root logger. On globalThis because Next.js bundles instrumentation (the
// in-process worker) apart from the route handlers, and api-server.mjs makes the logger
// before either: one logger, one destination, per process.
const root = globalThis as { __reelgateLogger?: Logger };

/** Makes `logger` the process's root logger (the entry points call this first). */
export function setRootLogger(logger: Logger): Logger {
  root.__reelgateLogger = logger;
  return logger;
}

/**
 * The process's root logger, or a child of it for one part (`component`: "worker",
 * "uploads", "secrets"...). Without an entry point having set one (tests, scripts), a
 * stdout logger at LOG_LEVEL (default info) named "cli".
 */
export function getLogger(component?: string): Logger {
  root.__reelgateLogger ??= createLogger("cli", parseLogLevel(process.env.LOG_LEVEL));
  return component ? root.__reelgateLogger.child({ component }) : root.__reelgateLogger;
}

/** LOG_LEVEL as pino's level; anything else is `info` (lib/env.ts refuses bad values). */
export function parseLogLevel(value: string | undefined): LogLevel {
  const v = (value ?? "").trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(v) ? (v as LogLevel) : "info";
}
