// Browser side of media access. The CloudFront signed cookies are HttpOnly, so the page
// cannot read them; it only knows when they expire (the `expiresAt` that
// POST /api/signed-cookies answers) and keeps them fresh while they are needed.
//
// Credentials are scoped (design 5b): each video has its own cookie set (Path
// /media/videos/{id}/), asked for with `{videoId}` and renewed while its player is open,
// the renewal being the stream's heartbeat; the catalog's images have theirs. Each scope
// is one state machine here, made on first use.
//
// CloudFront checks the expiry on every request, so a video longer than the cookie
// lifetime needs renewal before the cookies lapse, not after a segment fails.

import type { SignedCookiesResponse, StreamLimitError } from "@/lib/contract/types";

/** Which credential: the catalog's images, or one video's playback. */
export type MediaScope = "catalog" | { videoId: string };

/** Outcome of asking the API for media cookies. */
export type MediaCookieResult =
  | { expiresAt: Date }
  /** 401, or 403 (a disabled account): for the viewer, the session has ended. */
  | { signedOut: true }
  /** 404: unpublished, deleted, or no longer open to this member. */
  | { unavailable: true }
  /** 429 `stream_limit`: the member plays on as many devices as allowed. */
  | { streamLimit: StreamLimitError };

/** Whether the cookies were issued. */
export function isGranted(result: MediaCookieResult): result is { expiresAt: Date } {
  return "expiresAt" in result;
}

/** Options of {@link MediaAccess.startMediaAccessRenewal}. */
export interface MediaAccessRenewalOptions {
  /** Called once per renewal that finds the session gone (401) or the account disabled (403). */
  onSignedOut?: () => void;
  /** Called when the video is no longer available to the member (404). */
  onUnavailable?: () => void;
  /** Called when a renewal is refused at the stream limit (429 `stream_limit`). */
  onStreamLimit?: (error: StreamLimitError) => void;
}

/** Options of {@link MediaAccess.renewNow}. */
export interface RenewNowOptions {
  /**
   * Epoch ms at which the caller's failed request started. When a renewal has completed
   * since then, that request simply went out with the old cookies: no second renewal.
   */
  ifNotRenewedSince?: number;
}

/** What the module needs from the browser; injected so tests control time and network. */
export interface MediaAccessDeps {
  fetch: typeof fetch;
  now: () => number;
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  random: () => number;
  /** Absent outside the browser (tests, server render). */
  document?: Pick<Document, "visibilityState" | "addEventListener" | "removeEventListener">;
  /** Told of every folder cookies were set for, and until when (for sign-out). */
  onPaths?: (paths: readonly string[], expiresAtMs: number) => void;
}

/** One media-access state machine for one scope. */
export interface MediaAccess {
  issueMediaCookies(): Promise<MediaCookieResult>;
  ensureMediaCookies(): Promise<MediaCookieResult>;
  adoptIssuance(sent: Promise<Response>): Promise<MediaCookieResult>;
  renewNow(options?: RenewNowOptions): Promise<MediaCookieResult>;
  startMediaAccessRenewal(options?: MediaAccessRenewalOptions): () => void;
  mediaAccessExpiry(): Date | null;
  /** The stream this device plays as (video scope, once issued). */
  streamId(): string | null;
  /** Forgets the expiry and stops renewals (sign-out). */
  reset(): void;
}

/** Renew at this share of the remaining lifetime. */
export const RENEW_AT_FRACTION = 0.8;
/** +/- share of the delay, so many tabs or members do not renew in lockstep. */
export const RENEW_JITTER_FRACTION = 0.1;
/** Floor of any renewal delay: a server handing out near-expired cookies must not cause a hot loop. */
export const MIN_RENEW_DELAY_MS = 5_000;
/** Cookies with less than this left are renewed before use rather than reused. */
export const REUSE_MIN_REMAINING_MS = 60_000;
/** Delay before trying again after a renewal that failed for a network or server reason. */
export const RETRY_AFTER_FAILURE_MS = 15_000;

/**
 * Delay before the next renewal: 80% of the remaining lifetime, or sooner when the
 * server asks for a renewal every `renewAfterMs` (a playing video's heartbeat), +/-10%
 * jitter, at least {@link MIN_RENEW_DELAY_MS}. `random` returns a number in [0, 1).
 */
export function renewalDelayMs(
  expiresAtMs: number,
  nowMs: number,
  random: () => number,
  renewAfterMs = Infinity,
): number {
  const remaining = expiresAtMs - nowMs;
  const base = Math.min(remaining * RENEW_AT_FRACTION, renewAfterMs);
  const jitter = base * RENEW_JITTER_FRACTION * (random() * 2 - 1);
  return Math.max(MIN_RENEW_DELAY_MS, Math.round(base + jitter));
}

/**
 * Local epoch ms at which cookies expiring at `expiresAt` (server clock) stop working.
 * The server's `Date` header gives the lifetime independent of a wrong client clock; a
 * client ten minutes fast would otherwise see fresh cookies as nearly expired.
 */
export function localExpiryMs(
  expiresAt: Date,
  serverDate: Date | null,
  localNowMs: number,
): number {
  if (!serverDate || Number.isNaN(serverDate.getTime())) return expiresAt.getTime();
  return localNowMs + (expiresAt.getTime() - serverDate.getTime());
}

/** Thrown when the API could not be reached or answered with an unexpected status. */
export class MediaAccessError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "MediaAccessError";
  }
}

/** The request that issues `scope`'s cookies. */
export function issuanceRequest(scope: MediaScope): RequestInit {
  const video = scope === "catalog" ? null : { videoId: scope.videoId };
  return {
    method: "POST",
    credentials: "same-origin",
    headers: video
      ? { accept: "application/json", "content-type": "application/json" }
      : { accept: "application/json" },
    cache: "no-store",
    ...(video ? { body: JSON.stringify(video) } : {}),
  };
}

/** Builds an independent media-access state machine for one scope. */
export function createMediaAccess(
  deps: MediaAccessDeps,
  scope: MediaScope = "catalog",
): MediaAccess {
  let expiryMs: number | null = null;
  let renewAfterMs = Infinity;
  let stream: string | null = null;
  let lastRenewedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<MediaCookieResult> | null = null;
  let timer: unknown = null;
  let renewAtMs: number | null = null;
  const sessions = new Set<MediaAccessRenewalOptions>();

  function clearTimer(): void {
    if (timer !== null) deps.clearTimeout(timer);
    timer = null;
    renewAtMs = null;
  }

  function scheduleIn(delayMs: number): void {
    clearTimer();
    if (sessions.size === 0) return;
    renewAtMs = deps.now() + delayMs;
    timer = deps.setTimeout(() => {
      timer = null;
      renewAtMs = null;
      void renewNow().catch(() => undefined);
    }, delayMs);
  }

  function scheduleFromExpiry(): void {
    if (expiryMs === null) return;
    scheduleIn(renewalDelayMs(expiryMs, deps.now(), deps.random, renewAfterMs));
  }

  /** POST /api/signed-cookies, or the answer of one already sent (`sent`), read. */
  async function request(sent?: Promise<Response>): Promise<MediaCookieResult> {
    let response: Response;
    try {
      response = await (sent ?? deps.fetch("/api/signed-cookies", issuanceRequest(scope)));
    } catch (cause) {
      throw new MediaAccessError(`Could not reach the server: ${String(cause)}`, null);
    }
    // 403 is a disabled account: for the viewer that is the same as a session that ended.
    if (response.status === 401 || response.status === 403) return { signedOut: true };
    if (response.status === 404 && scope !== "catalog") return { unavailable: true };
    if (response.status === 429) {
      const body = (await response.json().catch(() => null)) as {
        error?: StreamLimitError;
      } | null;
      if (body?.error?.code === "stream_limit") return { streamLimit: body.error };
    }
    if (!response.ok) {
      throw new MediaAccessError(
        `Media access failed with HTTP ${response.status}`,
        response.status,
      );
    }
    const body = (await response.json()) as SignedCookiesResponse;
    const expiresAt = new Date(body.expiresAt);
    if (Number.isNaN(expiresAt.getTime())) {
      throw new MediaAccessError(
        "Media access answered without a valid expiresAt",
        response.status,
      );
    }
    const dateHeader = response.headers.get("date");
    expiryMs = localExpiryMs(expiresAt, dateHeader ? new Date(dateHeader) : null, deps.now());
    renewAfterMs =
      typeof body.renewAfterSeconds === "number" && body.renewAfterSeconds > 0
        ? body.renewAfterSeconds * 1000
        : Infinity;
    stream = body.stream?.id ?? stream;
    if (Array.isArray(body.paths)) deps.onPaths?.(body.paths, expiryMs);
    return { expiresAt };
  }

  function renewNow(options: RenewNowOptions = {}): Promise<MediaCookieResult> {
    if (inFlight) return inFlight;
    const since = options.ifNotRenewedSince;
    if (since !== undefined && lastRenewedAt >= since && expiryMs !== null) {
      return Promise.resolve({ expiresAt: new Date(expiryMs) });
    }
    return track(request());
  }

  // The watch page's inline script sends the POST before any bundle has loaded; its
  // answer counts as this page's issuance (a request already in flight wins).
  function adoptIssuance(sent: Promise<Response>): Promise<MediaCookieResult> {
    return inFlight ?? track(request(sent));
  }

  function notify(result: MediaCookieResult): void {
    for (const session of [...sessions]) {
      if ("signedOut" in result) session.onSignedOut?.();
      else if ("unavailable" in result) session.onUnavailable?.();
      else if ("streamLimit" in result) session.onStreamLimit?.(result.streamLimit);
    }
  }

  /** Makes `issuance` the one in flight, and applies its outcome when it settles. */
  function track(issuance: Promise<MediaCookieResult>): Promise<MediaCookieResult> {
    const pending = issuance.then(
      (result) => {
        if (isGranted(result)) {
          lastRenewedAt = deps.now();
          scheduleFromExpiry();
        } else {
          // Refused: no renewal until someone asks again (a retry, a "stop the oldest").
          expiryMs = null;
          clearTimer();
          notify(result);
        }
        return result;
      },
      (error: unknown) => {
        scheduleIn(
          Math.max(MIN_RENEW_DELAY_MS, RETRY_AFTER_FAILURE_MS * (0.9 + deps.random() * 0.2)),
        );
        throw error;
      },
    );
    inFlight = pending.finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  // Background tabs throttle timers (Chrome: once a minute, or less), so the timer may
  // fire late; on return the expiry is checked against the wall clock instead.
  function onVisibilityChange(): void {
    if (deps.document?.visibilityState !== "visible" || sessions.size === 0) return;
    const now = deps.now();
    if (expiryMs === null || renewAtMs === null || now >= renewAtMs) {
      void renewNow().catch(() => undefined);
    } else {
      scheduleIn(renewAtMs - now);
    }
  }

  function startMediaAccessRenewal(options: MediaAccessRenewalOptions = {}): () => void {
    const session = { ...options };
    sessions.add(session);
    if (sessions.size === 1) {
      deps.document?.addEventListener("visibilitychange", onVisibilityChange);
      if (expiryMs === null) void renewNow().catch(() => undefined);
      else if (!inFlight) scheduleFromExpiry();
    }
    return () => {
      if (!sessions.delete(session) || sessions.size > 0) return;
      deps.document?.removeEventListener("visibilitychange", onVisibilityChange);
      clearTimer();
    };
  }

  // Cookies issued a moment ago by this page (the watch page asks as soon as it
  // loads) serve the player too: a second POST would sit on the path to the first frame.
  function ensureMediaCookies(): Promise<MediaCookieResult> {
    if (inFlight) return inFlight;
    if (expiryMs !== null && expiryMs - deps.now() > REUSE_MIN_REMAINING_MS) {
      return Promise.resolve({ expiresAt: new Date(expiryMs) });
    }
    return renewNow();
  }

  return {
    issueMediaCookies: () => renewNow(),
    ensureMediaCookies,
    adoptIssuance,
    renewNow,
    startMediaAccessRenewal,
    mediaAccessExpiry: () => (expiryMs === null ? null : new Date(expiryMs)),
    streamId: () => stream,
    reset() {
      expiryMs = null;
      lastRenewedAt = Number.NEGATIVE_INFINITY;
      clearTimer();
    },
  };
}

// --- the page's instances ----------------------------------------------------------

/**
 * Where the folders this browser holds cookies for are remembered, with their expiry,
 * across tabs: the cookies are HttpOnly, and sign-out must name each folder to delete them.
 */
export const MEDIA_PATHS_KEY = "reelgate-media-paths";

function readPaths(storage: Storage | undefined, nowMs: number): Record<string, number> {
  try {
    const parsed = JSON.parse(storage?.getItem(MEDIA_PATHS_KEY) ?? "{}") as unknown;
    if (typeof parsed !== "object" || parsed === null) return {};
    const live: Record<string, number> = {};
    for (const [path, until] of Object.entries(parsed)) {
      if (typeof until === "number" && until > nowMs) live[path] = until;
    }
    return live;
  } catch {
    return {};
  }
}

function rememberPaths(paths: readonly string[], expiresAtMs: number): void {
  const storage = typeof localStorage === "undefined" ? undefined : localStorage;
  if (!storage) return;
  const known = readPaths(storage, Date.now());
  for (const path of paths) known[path] = Math.max(known[path] ?? 0, expiresAtMs);
  try {
    storage.setItem(MEDIA_PATHS_KEY, JSON.stringify(known));
  } catch {
    // Storage full or denied: sign-out still clears what the server knows of.
  }
}

const instances = new Map<string, MediaAccess>();

function browserDeps(): MediaAccessDeps {
  return {
    fetch: (input, init) => globalThis.fetch(input, init),
    now: () => Date.now(),
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
    random: () => Math.random(),
    document: typeof document === "undefined" ? undefined : document,
    onPaths: rememberPaths,
  };
}

/**
 * The page's state machine for `scope`, built on first use (not at import: the module
 * is also evaluated during the static build, where there is no document).
 */
export function mediaAccess(scope: MediaScope): MediaAccess {
  const key = scope === "catalog" ? "catalog" : `video:${scope.videoId}`;
  let found = instances.get(key);
  if (!found) {
    found = createMediaAccess(browserDeps(), scope);
    instances.set(key, found);
  }
  return found;
}

/** POST /api/signed-cookies for the catalog's images; shares a request already in flight. */
export function issueCatalogCookies(): Promise<MediaCookieResult> {
  return mediaAccess("catalog").issueMediaCookies();
}

/**
 * DELETE /api/signed-cookies (sign-out): every folder this browser was given cookies
 * for, and stops every scheduled renewal.
 */
export async function clearMediaCookies(): Promise<void> {
  for (const access of instances.values()) access.reset();
  const storage = typeof localStorage === "undefined" ? undefined : localStorage;
  const paths = Object.keys(readPaths(storage, Date.now()));
  await globalThis.fetch("/api/signed-cookies", {
    method: "DELETE",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ paths: paths.slice(0, 100) }),
  });
  storage?.removeItem(MEDIA_PATHS_KEY);
}
