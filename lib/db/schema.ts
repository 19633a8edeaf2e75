import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  uniqueIndex,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

// One schema for PGlite (local) and Postgres (production): plain PostgreSQL types
// only, so the generated migrations run unchanged on both.

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Always stored lower-cased; unique. */
    email: text("email").notNull().unique(),
    name: text("name"),
    role: text("role", { enum: ["member", "admin"] })
      .notNull()
      .default("member"),
    /** argon2id PHC string; null for an invited user who has not set a password yet. */
    passwordHash: text("password_hash"),
    disabled: boolean("disabled").notNull().default(false),
    ...timestamps,
  },
  (t) => [check("users_role_check", sql`${t.role} in ('member', 'admin')`)],
);

/** Failed sign-ins per key ("account:<email>" or "address:<ip>"), shared by all API servers. */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
});

/**
 * One signed-in browser: the session JWT names its row (`sid`), so a session can be listed
 * and ended before the JWT expires. Ended rows are kept a while: the device and address
 * of a past sign-in let the owner in while their account is under attack (lib/auth/throttle).
 */
export const authSessions = pgTable(
  "auth_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The browser's sign-in device cookie (random, lib/auth/device-cookie.ts). */
    deviceId: text("device_id"),
    ip: text("ip").notNull(),
    userAgent: text("user_agent").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    /** signed_out, signed_out_everywhere, ended, password_changed, password_reset, disabled */
    endReason: text("end_reason"),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId, t.createdAt)],
);

/** An admin's one-time password reset link; only the token's SHA-256 is stored. */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("password_resets_user_idx").on(t.userId)],
);

export type VideoStatus = "uploading" | "queued" | "processing" | "ready" | "failed";

export interface Rendition {
  name: string;
  width: number;
  height: number;
  bandwidth: number;
  playlist: string;
}

export interface Caption {
  lang: string;
  label: string;
  key: string;
}

export const videos = pgTable(
  "videos",
  {
    id: text("id").primaryKey(),
    status: text("status", { enum: ["uploading", "queued", "processing", "ready", "failed"] })
      .notNull()
      .default("uploading"),
    published: boolean("published").notNull().default(false),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    durationSeconds: real("duration_seconds"),
    width: integer("width"),
    height: integer("height"),
    sourceBytes: bigint("source_bytes", { mode: "number" }),
    renditions: jsonb("renditions").$type<Rendition[]>().notNull().default([]),
    captions: jsonb("captions").$type<Caption[]>().notNull().default([]),
    /** Bucket key of the master playlist, e.g. media/videos/{id}/hls/master.m3u8. */
    playlistKey: text("playlist_key"),
    posterKey: text("poster_key"),
    error: text("error"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    index("videos_catalog_idx").on(t.published, t.status, t.publishedAt),
    check(
      "videos_status_check",
      sql`${t.status} in ('uploading', 'queued', 'processing', 'ready', 'failed')`,
    ),
  ],
);

export const uploads = pgTable("uploads", {
  id: text("id").primaryKey(),
  videoId: text("video_id")
    .notNull()
    .references(() => videos.id, { onDelete: "cascade" }),
  /** Generated by the server (uploads/{videoId}/original.{ext}); never the client's file name. */
  storageKey: text("storage_key").notNull(),
  /** The storage's multipart upload id. */
  multipartId: text("multipart_id").notNull(),
  fileName: text("file_name").notNull(),
  contentType: text("content_type").notNull(),
  sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
  partSize: integer("part_size").notNull(),
  status: text("status", { enum: ["open", "completed", "aborted"] })
    .notNull()
    .default("open"),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  ...timestamps,
  completedAt: timestamp("completed_at", { withTimezone: true }),
});

export type JobStatus = "queued" | "running" | "succeeded" | "failed";

export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    videoId: text("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    kind: text("kind").notNull().default("transcode"),
    status: text("status", { enum: ["queued", "running", "succeeded", "failed"] })
      .notNull()
      .default("queued"),
    /** 0..100 */
    progress: real("progress").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    /** Not claimable before this time (backoff after a failed attempt). */
    runAfter: timestamp("run_after", { withTimezone: true }).notNull().defaultNow(),
    lockedBy: text("locked_by"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }),
    error: text("error"),
    ...timestamps,
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("jobs_claim_idx").on(t.status, t.runAfter), index("jobs_video_idx").on(t.videoId)],
);

export const watchProgress = pgTable(
  "watch_progress",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    videoId: text("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    positionSeconds: real("position_seconds").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.videoId] })],
);

// --- access: member groups, issued-credential audit, one-off data migrations ---

/** A member group (entitlement), e.g. "Staff" or "Premium". */
export const groups = pgTable(
  "groups",
  {
    /** Short random id (lib/storage/bucket-keys newId); it names the group's catalog image folder. */
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    ...timestamps,
  },
  (t) => [uniqueIndex("groups_name_idx").on(sql`lower(${t.name})`)],
);

export const groupMembers = pgTable(
  "group_members",
  {
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    index("group_members_user_idx").on(t.userId),
  ],
);

/** A video with rows here is open to those groups' members only; with none, to every member. */
export const videoGroups = pgTable(
  "video_groups",
  {
    videoId: text("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "restrict" }),
  },
  (t) => [
    primaryKey({ columns: [t.videoId, t.groupId] }),
    index("video_groups_group_idx").on(t.groupId),
  ],
);

/**
 * Who was issued which media credential, when, from where. One row per playback
 * (`grantKey`: a device's run of renewals for one video, or one signed URL), not per
 * renewal: renewals only move `lastIssuedAt` and `issueCount`. No foreign keys: the
 * trail outlives a deleted video or account. Kept ACCESS_LOG_RETENTION_DAYS.
 */
export const mediaGrants = pgTable(
  "media_grants",
  {
    grantKey: text("grant_key").primaryKey(),
    userId: uuid("user_id").notNull(),
    userEmail: text("user_email").notNull(),
    videoId: text("video_id").notNull(),
    kind: text("kind", { enum: ["cookies", "url"] }).notNull(),
    /** The stream id (a hash of the device cookie), or null for a signed URL. */
    streamId: text("stream_id"),
    address: text("address"),
    userAgent: text("user_agent"),
    firstIssuedAt: timestamp("first_issued_at", { withTimezone: true }).notNull(),
    lastIssuedAt: timestamp("last_issued_at", { withTimezone: true }).notNull(),
    issueCount: integer("issue_count").notNull().default(1),
  },
  (t) => [
    index("media_grants_video_idx").on(t.videoId, t.lastIssuedAt),
    index("media_grants_user_idx").on(t.userId, t.lastIssuedAt),
    index("media_grants_last_idx").on(t.lastIssuedAt),
  ],
);

/**
 * The concurrent-stream registry when several API servers share one Postgres
 * (lib/streams/database-registry.ts): one row per device of a member playing now.
 * Times are epoch milliseconds, as the registry's callers count them.
 */
export const activeStreams = pgTable(
  "active_streams",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    streamId: text("stream_id").notNull(),
    videoId: text("video_id").notNull(),
    playbackKey: text("playback_key").notNull(),
    device: text("device").notNull(),
    address: text("address"),
    userAgent: text("user_agent"),
    startedAt: bigint("started_at", { mode: "number" }).notNull(),
    lastSeenAt: bigint("last_seen_at", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.streamId] }),
    index("active_streams_last_seen_idx").on(t.lastSeenAt),
  ],
);

/** Named one-off data steps (e.g. moving catalog images), run once at start-up. */
export const dataMigrations = pgTable("data_migrations", {
  name: text("name").primaryKey(),
  finishedAt: timestamp("finished_at", { withTimezone: true }).notNull().defaultNow(),
});

/** 100 bits, one per hundredth of a video: which parts a view played (retention). */
const coverageBits = customType<{ data: string; driverData: string }>({
  dataType: () => "bit(100)",
});

/**
 * One playback of a video by a member, as the player's beacons last described it
 * (lib/analytics). Each beacon carries the view's totals so far; the newest (highest
 * `seq`) wins and `coverage` is OR-ed, so a lost or repeated beacon costs nothing.
 */
export const playbackViews = pgTable(
  "playback_views",
  {
    /** The player's id for the view (a random UUID). */
    id: uuid("id").primaryKey(),
    videoId: text("video_id")
      .notNull()
      .references(() => videos.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The UTC day the view started, by the server's clock. */
    day: date("day").notNull(),
    seq: integer("seq").notNull(),
    /** Play request to first frame, as the player measured it; null before the first frame. */
    startupMs: integer("startup_ms"),
    watchSeconds: real("watch_seconds").notNull().default(0),
    furthestSeconds: real("furthest_seconds").notNull().default(0),
    rebufferCount: integer("rebuffer_count").notNull().default(0),
    rebufferSeconds: real("rebuffer_seconds").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    lastError: text("last_error"),
    /** Seconds played per rendition, e.g. {"720p": 31.5}. */
    renditions: jsonb("renditions").$type<Record<string, number>>().notNull().default({}),
    coverage: coverageBits("coverage").notNull(),
    ...timestamps,
  },
  (t) => [
    index("playback_views_video_day_idx").on(t.videoId, t.day),
    index("playback_views_user_day_idx").on(t.userId, t.day),
  ],
);
