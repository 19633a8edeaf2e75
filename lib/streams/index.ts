import "server-only";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { createDatabaseStreamRegistry } from "./database-registry";
import { createMemoryStreamRegistry } from "./memory-registry";
import type { StreamRegistry } from "./types";

export {
  DEVICE_COOKIE,
  deviceCookie,
  deviceLabel,
  newDeviceId,
  readDeviceId,
  streamIdFor,
} from "./device";
export { createMemoryStreamRegistry } from "./memory-registry";
export { createDatabaseStreamRegistry, pruneEndedStreams } from "./database-registry";
export type { ActiveStream, StreamRegistry, StreamTouch, TouchResult } from "./types";

// One registry per process, on globalThis because Next.js may load this module once per
// route bundle, and the streams must be counted in one place.
const slot = globalThis as typeof globalThis & { __reelgateStreams?: StreamRegistry };

/**
 * The process's stream registry: in the shared Postgres when `DATABASE_URL` is set (any
 * number of API servers count the same streams), in memory on PGlite (whose database
 * one process owns, so there is one API server).
 */
export function getStreamRegistry(): StreamRegistry {
  slot.__reelgateStreams ??= env().DATABASE_URL
    ? createDatabaseStreamRegistry(getDb)
    : createMemoryStreamRegistry();
  return slot.__reelgateStreams;
}
