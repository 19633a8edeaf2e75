import "server-only";
import { env } from "@/lib/env";

/**
 * How soon a page renews its cookies: at 80% of their lifetime, and, for playback, at
 * least every STREAM_HEARTBEAT_SECONDS, because the renewal is also the stream's
 * heartbeat.
 */
export function renewAfterSeconds(kind: "playback" | "catalog"): number {
  const config = env();
  const lifetime = Math.max(1, Math.floor(config.SIGNED_COOKIE_TTL_SECONDS * 0.8));
  return kind === "playback" ? Math.min(config.STREAM_HEARTBEAT_SECONDS, lifetime) : lifetime;
}

/** A stream with no renewal for two renewal intervals has ended. */
export function streamTtlMs(): number {
  return 2 * renewAfterSeconds("playback") * 1000;
}
