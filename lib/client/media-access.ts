// Browser side of media access: the CloudFront signed cookies for /media/* are HttpOnly,
// so the page cannot read them; it only knows when they expire (the `expiresAt` that
// POST /api/signed-cookies answers) and keeps them fresh while a tab is open.
//
// CloudFront checks the expiry on every request, so a video longer than the cookie
// lifetime needs renewal before the cookies lapse, not after a segment fails.

import type { SignedCookiesResponse } from "./types";

/** Outcome of asking the API for media cookies. */
export type MediaCookieResult = { expiresAt: Date } | { signedOut: true };

/** Options of {@link MediaAccess.startMediaAccessRenewal}. */
export interface MediaAccessRenewalOptions {
  /** Called once per renewal that finds the session gone (401) or the account disabled (403). */
  onSignedOut?: () => void;
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
}

/** One media-access state machine; the app uses the module-level singleton below. */
export interface MediaAccess {
  issueMediaCookies(): Promise<MediaCookieResult>;
  ensureMediaCookies(): Promise<MediaCookieResult>;
  adoptIssuance(sent: Promise<Response>): Promise<MediaCookieResult>;
  clearMediaCookies(): Promise<void>;
  renewNow(options?: RenewNowOptions): Promise<MediaCookieResult>;
  startMediaAccessRenewal(options?: MediaAccessRenewalOptions): () => void;
  mediaAccessExpiry(): Date | null;
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
 * Delay before the next renewal: 80% of the remaining lifetime, +/-10% jitter, at least
 * {@link MIN_RENEW_DELAY_MS}. `random` returns a number in [0, 1).
 */
export function renewalDelayMs(expiresAtMs: number, nowMs: number, random: () => number): number {
  const remaining = expiresAtMs - nowMs;
  const base = remaining * RENEW_AT_FRACTION;
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

/** Builds an independent media-access state machine (the app uses the default instance). */
export function createMediaAccess(deps: MediaAccessDeps): MediaAccess {
  let expiryMs: number | null = null;
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
    scheduleIn(renewalDelayMs(expiryMs, deps.now(), deps.random));
  }

  /** POST /api/signed-cookies, or the answer of one already sent (`sent`), read. */
  async function request(sent?: Promise<Response>): Promise<MediaCookieResult> {
    let response: Response;
    try {
      response = await (sent ??
        deps.fetch("/api/signed-cookies", {
          method: "POST",
          credentials: "same-origin",
          headers: { accept: "application/json" },
          cache: "no-store",
        }));
    } catch (cause) {
      throw new MediaAccessError(`Could not reach the server: ${String(cause)}`, null);
    }
    // 403 is a disabled account: for the viewer that is the same as a session that ended.
    if (response.status === 401 || response.status === 403) return { signedOut: true };
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

  /** Makes `issuance` the one in flight, and applies its outcome when it settles. */
  function track(issuance: Promise<MediaCookieResult>): Promise<MediaCookieResult> {
    const pending = issuance.then(
      (result) => {
        if ("signedOut" in result) {
          expiryMs = null;
          clearTimer();
          for (const session of [...sessions]) session.onSignedOut?.();
        } else {
          lastRenewedAt = deps.now();
          scheduleFromExpiry();
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

  async function clearMediaCookies(): Promise<void> {
    expiryMs = null;
    lastRenewedAt = Number.NEGATIVE_INFINITY;
    clearTimer();
    await deps.fetch("/api/signed-cookies", { method: "DELETE", credentials: "same-origin" });
  }

  return {
    issueMediaCookies: () => renewNow(),
    ensureMediaCookies,
    adoptIssuance,
    clearMediaCookies,
    renewNow,
    startMediaAccessRenewal,
    mediaAccessExpiry: () => (expiryMs === null ? null : new Date(expiryMs)),
  };
}

let defaultInstance: MediaAccess | null = null;

// Built on first use, not at import: the module is also evaluated during the static build,
// where there is no document.
function instance(): MediaAccess {
  defaultInstance ??= createMediaAccess({
    fetch: (input, init) => globalThis.fetch(input, init),
    now: () => Date.now(),
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
    random: () => Math.random(),
    document: typeof document === "undefined" ? undefined : document,
  });
  return defaultInstance;
}

/** POST /api/signed-cookies; shares a request already in flight. Cheap to repeat. */
export function issueMediaCookies(): Promise<MediaCookieResult> {
  return instance().issueMediaCookies();
}

/** The cookies this page already holds when they have a minute or more left, else a fresh issue. */
export function ensureMediaCookies(): Promise<MediaCookieResult> {
  return instance().ensureMediaCookies();
}

/** Takes the answer of a POST /api/signed-cookies sent outside this module as the current issuance. */
export function adoptMediaCookieIssuance(sent: Promise<Response>): Promise<MediaCookieResult> {
  return instance().adoptIssuance(sent);
}

/** DELETE /api/signed-cookies (sign-out) and stop scheduled renewals. */
export function clearMediaCookies(): Promise<void> {
  return instance().clearMediaCookies();
}

/** Renew at once, sharing one in-flight request among all callers (e.g. many failed segments). */
export function renewNow(options?: RenewNowOptions): Promise<MediaCookieResult> {
  return instance().renewNow(options);
}

/** Keep the cookies fresh while the caller is mounted; returns the stop function. */
export function startMediaAccessRenewal(options?: MediaAccessRenewalOptions): () => void {
  return instance().startMediaAccessRenewal(options);
}

/** Local time at which the current cookies expire, or null when none were issued. */
export function mediaAccessExpiry(): Date | null {
  return instance().mediaAccessExpiry();
}
