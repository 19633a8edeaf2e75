// Shapes of the JSON the API answers with. Shared by the route handlers and the
// browser code; types only, so nothing of the server reaches the static export.

/** Every error: `{ error: { code, message } }` with the matching HTTP status. */
export interface ApiErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

export type Role = "member" | "admin";

/** GET /api/me */
export interface Me {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

/** POST /api/signed-cookies body: a video's playback cookies, or (empty) the catalog's. */
export interface SignedCookiesBody {
  videoId?: string;
}

/** POST /api/signed-cookies */
export interface SignedCookiesResponse {
  /** ISO 8601; the cookies stop working at this instant. */
  expiresAt: string;
  /** The folders whose cookies were set: each set has one as its Path. */
  paths: string[];
  /** Renew within this many seconds (while playing, the renewal is the stream's heartbeat). */
  renewAfterSeconds: number;
  /** Playback cookies only: the video, and this device's stream. */
  videoId?: string;
  stream?: { id: string };
}

/** One device of the member playing (GET /api/streams, and the 429 `stream_limit` error). */
export interface MemberStream {
  id: string;
  /** e.g. "Chrome on Linux" */
  device: string;
  videoId: string;
  videoTitle: string | null;
  startedAt: string;
  lastSeenAt: string;
  /** The stream of the browser that asked. */
  current: boolean;
}

/** GET /api/streams */
export interface StreamListResponse {
  streams: MemberStream[];
  /** MAX_STREAMS_PER_MEMBER for this member; 0 = no limit (admins). */
  limit: number;
}

/** The `error` of a 429 `stream_limit` from POST /api/signed-cookies. */
export interface StreamLimitError {
  code: "stream_limit";
  message: string;
  limit: number;
  /** The member's live streams, oldest first. */
  streams: MemberStream[];
}

/** POST /api/signed-urls */
export interface SignedUrlResponse {
  url: string;
  expiresAt: string;
}

export interface CaptionTrack {
  lang: string;
  label: string;
  /** Same-origin path under /media/, e.g. /media/videos/abc/captions/en.vtt */
  url: string;
}

/** One video as members see it (GET /api/videos, GET /api/videos/{id}). */
export interface VideoSummary {
  id: string;
  title: string;
  description: string;
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  /** Same-origin path, e.g. /media/videos/abc/poster.jpg; needs the signed cookies. */
  posterUrl: string | null;
  /** Same-origin path, e.g. /media/videos/abc/hls/master.m3u8; needs the signed cookies. */
  playlistUrl: string;
  captions: CaptionTrack[];
  publishedAt: string | null;
  /** The member's saved position, if any. */
  progress: { positionSeconds: number; updatedAt: string } | null;
}

/** GET /api/videos?q=... */
export interface VideoListResponse {
  videos: VideoSummary[];
  /** Videos with a saved position, most recent first ("continue watching"). */
  continueWatching: VideoSummary[];
}

/** PUT /api/videos/{id}/progress body */
export interface ProgressBody {
  positionSeconds: number;
}

export type VideoStatus = "uploading" | "queued" | "processing" | "ready" | "failed";

/** GET /api/admin/videos */
export interface AdminVideo {
  id: string;
  title: string;
  description: string;
  status: VideoStatus;
  published: boolean;
  durationSeconds: number | null;
  error: string | null;
  posterUrl: string | null;
  captions: CaptionTrack[];
  /** The groups it is open to; empty = every member. */
  groupIds: string[];
  createdAt: string;
  updatedAt: string;
  job: {
    status: "queued" | "running" | "succeeded" | "failed";
    progress: number;
    attempts: number;
    maxAttempts: number;
    error: string | null;
  } | null;
}

export interface AdminVideoListResponse {
  videos: AdminVideo[];
}

/** POST /api/admin/uploads body */
export interface CreateUploadBody {
  fileName: string;
  contentType: string;
  sizeBytes: number;
  title: string;
  description?: string;
}

/** POST /api/admin/uploads, GET /api/admin/uploads/{id} */
export interface UploadState {
  id: string;
  videoId: string;
  fileName: string;
  sizeBytes: number;
  partSize: number;
  partCount: number;
  status: "open" | "completed" | "aborted";
  /** Parts already stored (for resume). */
  uploadedParts: { partNumber: number; etag: string; size: number }[];
}

/** POST /api/admin/uploads/{id}/parts body: { partNumbers } -> this */
export interface PartUrlsResponse {
  parts: { partNumber: number; url: string; method: "PUT"; headers?: Record<string, string> }[];
}

/** POST /api/admin/uploads/{id}/complete body */
export interface CompleteUploadBody {
  parts: { partNumber: number; etag: string }[];
}

/** GET /api/admin/users */
export interface AdminUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  /** The member groups the account is in. */
  groupIds: string[];
  createdAt: string;
}

/** GET /api/admin/groups */
export interface AdminGroup {
  id: string;
  name: string;
  description: string;
  memberCount: number;
  videoCount: number;
  createdAt: string;
}

/** One playback's credentials in the access log (GET /api/admin/access-log). */
export interface AccessLogEntry {
  userId: string;
  userEmail: string;
  videoId: string;
  /** Playback cookies (renewals folded in) or a signed URL. */
  kind: "cookies" | "url";
  streamId: string | null;
  address: string | null;
  userAgent: string | null;
  firstIssuedAt: string;
  lastIssuedAt: string;
  issueCount: number;
}

/** GET /api/admin/access-log */
export interface AccessLogResponse {
  entries: AccessLogEntry[];
  /** Pass as `before` for the next page; null on the last. */
  nextBefore: string | null;
}

/** GET /api/health */
export interface Health {
  status: "ok" | "degraded";
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** GET /api/account/sessions: one signed-in browser of the member. */
export interface AccountSession {
  id: string;
  /** The session this request came from. */
  current: boolean;
  /** "Chrome on Linux": from the User-Agent it signed in with. */
  device: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string;
  userAgent: string;
}

/** POST /api/admin/users/{id}/reset-link: shown once. */
export interface ResetLink {
  url: string;
  expiresAt: string;
}

/** GET /api/admin/sign-in-alerts: an account with failed sign-ins in the current window. */
export interface SignInAlertView {
  email: string;
  failures: number;
  since: string;
  /** Under attack: until `until`, only devices and addresses that signed in before get in. */
  restricted: boolean;
  until: string | null;
}
