import "server-only";
import { randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import { clientIp } from "@/lib/api/client-ip";
import { recordGrant } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth";
import { serializeSetCookies, signScopeCookies, type MediaScope } from "@/lib/cloudfront";
import { getDb } from "@/lib/db";
import { videos } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { groupIdsOf } from "@/lib/groups";
import {
  deviceCookie,
  deviceLabel,
  getStreamRegistry,
  newDeviceId,
  readDeviceId,
  streamIdFor,
  type ActiveStream,
} from "@/lib/streams";
import type { MemberStream, SignedCookiesResponse } from "@/lib/contract/types";
import { findWatchable } from "./find-watchable";
import { catalogScopes, videoScope } from "./scopes";
import { renewAfterSeconds, streamTtlMs } from "./timing";

/** An answer to give: its JSON body and its Set-Cookie headers. */
export interface Issued {
  body: SignedCookiesResponse;
  setCookies: string[];
}

/** The device of a request: its cookie's id, or a new one and the Set-Cookie to give it. */
export function deviceOf(req: Request): { id: string; setCookie: string | null } {
  const known = readDeviceId(req.headers.get("cookie"));
  if (known) return { id: known, setCookie: null };
  const id = newDeviceId();
  return { id, setCookie: deviceCookie(id, env().publicOrigin.startsWith("https:")) };
}

async function sign(scopes: MediaScope[], sourceIp?: string) {
  const now = new Date();
  const setCookies: string[] = [];
  let expiresAt = now;
  for (const scope of scopes) {
    const signed = await signScopeCookies(scope, { now, sourceIp });
    expiresAt = signed.expiresAt;
    setCookies.push(...serializeSetCookies(scope, signed.cookies, signed.expiresAt, now));
  }
  return { setCookies, expiresAt };
}

/**
 * Playback cookies for one video (POST /api/signed-cookies `{videoId}`): only when the
 * member may watch it now (lib/access), and only while they are under their stream
 * limit (429 `stream_limit`, with their live streams to choose from). Each issue renews
 * this device's stream and is noted in the access log.
 */
export async function issuePlaybackCookies(
  user: SessionUser,
  req: Request,
  videoId: string,
): Promise<Issued> {
  const video = await findWatchable(user, videoId);
  const device = deviceOf(req);
  const userAgent = req.headers.get("user-agent");
  const address = clientIp(req.headers);
  const streamId = streamIdFor(user.id, device.id);
  const limit = user.role === "admin" ? 0 : env().MAX_STREAMS_PER_MEMBER;
  const touched = await getStreamRegistry().touch(
    user.id,
    streamId,
    { videoId: video.id, device: deviceLabel(userAgent), address, userAgent },
    { limit, ttlMs: streamTtlMs(), now: Date.now() },
  );
  if (!touched.ok) {
    throw new AppError(
      "stream_limit",
      `You are already watching on ${touched.streams.length} devices, the most your membership allows at once. Stop one of them to watch here.`,
      {},
      { limit, streams: await describeStreams(touched.streams, streamId) },
    );
  }
  const scope = videoScope(video.id);
  const { setCookies, expiresAt } = await sign([scope]);
  if (device.setCookie) setCookies.push(device.setCookie);
  recordGrant({
    grantKey: touched.stream.playbackKey,
    userId: user.id,
    userEmail: user.email,
    videoId: video.id,
    kind: "cookies",
    streamId,
    address,
    userAgent,
    at: new Date(),
  });
  return {
    body: {
      expiresAt: expiresAt.toISOString(),
      paths: [scope.path],
      renewAfterSeconds: renewAfterSeconds("playback"),
      videoId: video.id,
      stream: { id: streamId },
    },
    setCookies,
  };
}

/**
 * Catalog cookies (POST /api/signed-cookies with no video): the image folders of what
 * the member's catalog can show, one set per folder (lib/playback/scopes.ts).
 */
export async function issueCatalogCookies(user: SessionUser): Promise<Issued> {
  const groupIds = user.role === "admin" ? [] : await groupIdsOf(user.id);
  const scopes = catalogScopes(user, groupIds);
  const { setCookies, expiresAt } = await sign(scopes);
  return {
    body: {
      expiresAt: expiresAt.toISOString(),
      paths: scopes.map((s) => s.path),
      renewAfterSeconds: renewAfterSeconds("catalog"),
    },
    setCookies,
  };
}

/** Streams as the member sees them, with their videos' titles. */
export async function describeStreams(
  streams: ActiveStream[],
  currentId: string | null,
): Promise<MemberStream[]> {
  const ids = [...new Set(streams.map((s) => s.videoId))];
  const titles = new Map<string, string>();
  if (ids.length > 0) {
    const db = await getDb();
    const rows = await db
      .select({ id: videos.id, title: videos.title })
      .from(videos)
      .where(inArray(videos.id, ids));
    for (const r of rows) titles.set(r.id, r.title);
  }
  return streams.map((s) => ({
    id: s.id,
    device: s.device,
    videoId: s.videoId,
    videoTitle: titles.get(s.videoId) ?? null,
    startedAt: new Date(s.startedAt).toISOString(),
    lastSeenAt: new Date(s.lastSeenAt).toISOString(),
    current: s.id === currentId,
  }));
}

/** A fresh key for a grant that is not a stream's playback (a signed URL). */
export function newGrantKey(): string {
  return randomUUID();
}
