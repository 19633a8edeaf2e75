import "server-only";
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
export type { ActiveStream, StreamRegistry, StreamTouch, TouchResult } from "./types";

// One registry per process, on globalThis because Next.js may load this module once per
// route bundle, and the streams must be counted in one place.
const slot = globalThis as typeof globalThis & { __reelgateStreams?: StreamRegistry };

/** The process's stream registry. */
export function getStreamRegistry(): StreamRegistry {
  slot.__reelgateStreams ??= createMemoryStreamRegistry();
  return slot.__reelgateStreams;
}
