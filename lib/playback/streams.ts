import "server-only";
import type { SessionUser } from "@/lib/auth";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getStreamRegistry, readDeviceId, streamIdFor } from "@/lib/streams";
import type { StreamListResponse } from "@/lib/contract/types";
import { describeStreams } from "./issue";
import { streamTtlMs } from "./timing";

function currentStreamId(user: SessionUser, req: Request): string | null {
  const device = readDeviceId(req.headers.get("cookie"));
  return device ? streamIdFor(user.id, device) : null;
}

/** GET /api/streams: the member's devices playing now, oldest first. */
export async function listMemberStreams(
  user: SessionUser,
  req: Request,
): Promise<StreamListResponse> {
  const streams = await getStreamRegistry().list(user.id, {
    ttlMs: streamTtlMs(),
    now: Date.now(),
  });
  return {
    streams: await describeStreams(streams, currentStreamId(user, req)),
    limit: user.role === "admin" ? 0 : env().MAX_STREAMS_PER_MEMBER,
  };
}

/**
 * DELETE /api/streams/{id}: ends one of the member's streams, so another device may
 * start. The stopped device's cookies still work until they expire (at most
 * SIGNED_COOKIE_TTL_SECONDS), but its next renewal counts as a new stream, which the
 * limit refuses while the member's other devices fill it.
 */
export async function stopMemberStream(user: SessionUser, streamId: string): Promise<void> {
  if (!(await getStreamRegistry().end(user.id, streamId))) {
    throw new AppError("not_found", "No such stream, or it has ended already.");
  }
}

/** Ends the stream of the browser that asks (sign-out). */
export async function endCurrentStream(user: SessionUser, req: Request): Promise<void> {
  const id = currentStreamId(user, req);
  if (id) await getStreamRegistry().end(user.id, id);
}
