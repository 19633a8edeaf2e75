import { describe, expect, it, vi } from "vitest";
import {
  createMediaAccess,
  localExpiryMs,
  MediaAccessError,
  MIN_RENEW_DELAY_MS,
  renewalDelayMs,
  type MediaAccessDeps,
} from "@/lib/client/media-access";

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const MINUTE = 60_000;

describe("renewalDelayMs", () => {
  it("renews at 80% of the remaining lifetime without jitter (random 0.5)", () => {
    expect(renewalDelayMs(T0 + 10 * MINUTE, T0, () => 0.5)).toBe(8 * MINUTE);
    expect(renewalDelayMs(T0 + 60 * MINUTE, T0 + 30 * MINUTE, () => 0.5)).toBe(24 * MINUTE);
  });

  it("spreads renewals by at most 10% either way", () => {
    expect(renewalDelayMs(T0 + 10 * MINUTE, T0, () => 0)).toBe(7.2 * MINUTE);
    expect(renewalDelayMs(T0 + 10 * MINUTE, T0, () => 0.999999)).toBeCloseTo(8.8 * MINUTE, -2);
  });

  it("always renews before the cookies expire", () => {
    for (const remaining of [6_000, 30_000, MINUTE, 60 * MINUTE, 24 * 60 * MINUTE]) {
      for (const r of [0, 0.25, 0.5, 0.75, 0.9999]) {
        const delay = renewalDelayMs(T0 + remaining, T0, () => r);
        expect(delay).toBeLessThan(remaining);
        expect(delay).toBeGreaterThanOrEqual(MIN_RENEW_DELAY_MS);
      }
    }
  });

  it("never schedules sooner than the floor, even for expired cookies", () => {
    expect(renewalDelayMs(T0 + 1_000, T0, () => 0.5)).toBe(MIN_RENEW_DELAY_MS);
    expect(renewalDelayMs(T0 - MINUTE, T0, () => 0.5)).toBe(MIN_RENEW_DELAY_MS);
  });
});

describe("localExpiryMs", () => {
  const expiresAt = new Date(T0 + 10 * MINUTE);

  it("uses the lifetime the server meant when the client clock is off", () => {
    const serverNow = new Date(T0);
    const clientFast = T0 + 7 * MINUTE;
    expect(localExpiryMs(expiresAt, serverNow, clientFast)).toBe(clientFast + 10 * MINUTE);
    const clientSlow = T0 - 3 * MINUTE;
    expect(localExpiryMs(expiresAt, serverNow, clientSlow)).toBe(clientSlow + 10 * MINUTE);
  });

  it("falls back to the absolute expiry without a usable Date header", () => {
    expect(localExpiryMs(expiresAt, null, T0 + 5)).toBe(expiresAt.getTime());
    expect(localExpiryMs(expiresAt, new Date("garbage"), T0 + 5)).toBe(expiresAt.getTime());
  });
});

/** A fake browser: a manual clock with timers, a scripted /api/signed-cookies and a document. */
function fakeBrowser(lifetimeMs = 10 * MINUTE) {
  let now = T0;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const calls: string[] = [];
  let answer: () => Promise<Response> = () =>
    Promise.resolve(
      new Response(JSON.stringify({ expiresAt: new Date(now + lifetimeMs).toISOString() }), {
        status: 200,
        headers: { "content-type": "application/json", date: new Date(now).toUTCString() },
      }),
    );
  const listeners = new Set<() => void>();
  const doc = {
    visibilityState: "visible" as DocumentVisibilityState,
    addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
  };
  const deps: MediaAccessDeps = {
    fetch: (input, init) => {
      calls.push(`${init?.method ?? "GET"} ${typeof input === "string" ? input : "?"}`);
      return answer();
    },
    now: () => now,
    setTimeout: (callback, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout: (handle) => timers.delete(handle as number),
    random: () => 0.5,
    document: doc as unknown as MediaAccessDeps["document"],
  };
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    deps,
    calls,
    doc,
    pendingTimers: () => [...timers.values()].map((t) => t.at - now),
    setAnswer: (fn: () => Promise<Response>) => {
      answer = fn;
    },
    /** Moves the clock; with `fireTimers` false the timers are late, as in a background tab. */
    async advance(ms: number, fireTimers = true) {
      now += ms;
      if (!fireTimers) return;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(id);
          timer.callback();
        }
      }
      await flush();
    },
    async becomeVisible() {
      doc.visibilityState = "visible";
      for (const listener of [...listeners]) listener();
      await flush();
    },
    listenerCount: () => listeners.size,
    flush,
  };
}

const status = (code: number) => () =>
  Promise.resolve(
    new Response(JSON.stringify({ error: { code: "x", message: "y" } }), { status: code }),
  );

describe("createMediaAccess", () => {
  it("issues cookies and reports their expiry", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps);
    const result = await access.issueMediaCookies();
    expect(result).toEqual({ expiresAt: new Date(T0 + 10 * MINUTE) });
    expect(access.mediaAccessExpiry()).toEqual(new Date(T0 + 10 * MINUTE));
    expect(browser.calls).toEqual(["POST /api/signed-cookies"]);
  });

  it("shares one in-flight request among concurrent callers", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps);
    const results = await Promise.all([
      access.renewNow(),
      access.renewNow(),
      access.issueMediaCookies(),
      access.renewNow({ ifNotRenewedSince: T0 }),
    ]);
    expect(browser.calls).toHaveLength(1);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    await access.renewNow();
    expect(browser.calls).toHaveLength(2);
  });

  it("reuses cookies with a minute or more left, and renews the ones about to lapse", async () => {
    const browser = fakeBrowser(5 * MINUTE);
    const access = createMediaAccess(browser.deps);
    const [first, shared] = await Promise.all([
      access.ensureMediaCookies(),
      access.ensureMediaCookies(),
    ]);
    expect(shared).toEqual(first);
    expect(browser.calls).toHaveLength(1);
    await browser.advance(3 * MINUTE, false);
    expect(await access.ensureMediaCookies()).toEqual({ expiresAt: new Date(T0 + 5 * MINUTE) });
    expect(browser.calls).toHaveLength(1);
    await browser.advance(MINUTE + 1, false);
    expect(await access.ensureMediaCookies()).toEqual({
      expiresAt: new Date(T0 + 9 * MINUTE + 1),
    });
    expect(browser.calls).toHaveLength(2);
  });

  it("adopts an issuance sent before the module loaded, and shares it", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps);
    const sent = Promise.resolve(
      Response.json(
        { expiresAt: new Date(T0 + 10 * MINUTE).toISOString() },
        { headers: { date: new Date(T0).toUTCString() } },
      ),
    );
    const [adopted, ensured] = await Promise.all([
      access.adoptIssuance(sent),
      access.ensureMediaCookies(),
    ]);
    expect(adopted).toEqual({ expiresAt: new Date(T0 + 10 * MINUTE) });
    expect(ensured).toEqual(adopted);
    expect(browser.calls).toEqual([]);
    expect(access.mediaAccessExpiry()).toEqual(new Date(T0 + 10 * MINUTE));
  });

  it("treats an adopted 401 as a session that ended", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps);
    const ended = vi.fn();
    const result = access.adoptIssuance(status(401)());
    access.startMediaAccessRenewal({ onSignedOut: ended });
    expect(await result).toEqual({ signedOut: true });
    expect(ended).toHaveBeenCalledTimes(1);
    // The renewal start joined the adopted request rather than sending its own.
    expect(browser.calls).toEqual([]);
  });

  it("skips a renewal for a request that started before the last renewal", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps);
    const requestStartedAt = T0;
    await browser.advance(1_000, false);
    await access.renewNow();
    await access.renewNow({ ifNotRenewedSince: requestStartedAt });
    expect(browser.calls).toHaveLength(1);
    await browser.advance(1_000, false);
    await access.renewNow({ ifNotRenewedSince: T0 + 5_000 });
    expect(browser.calls).toHaveLength(2);
  });

  it("renews on a timer before expiry while started, and stops when stopped", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps);
    const stop = access.startMediaAccessRenewal();
    await browser.flush();
    expect(browser.calls).toHaveLength(1);
    expect(browser.pendingTimers()).toEqual([8 * MINUTE]);

    await browser.advance(8 * MINUTE - 1);
    expect(browser.calls).toHaveLength(1);
    await browser.advance(1);
    expect(browser.calls).toHaveLength(2);
    expect(access.mediaAccessExpiry()).toEqual(new Date(T0 + 18 * MINUTE));
    expect(browser.pendingTimers()).toEqual([8 * MINUTE]);

    stop();
    expect(browser.pendingTimers()).toEqual([]);
    expect(browser.listenerCount()).toBe(0);
    await browser.advance(60 * MINUTE);
    expect(browser.calls).toHaveLength(2);
  });

  it("keeps renewing until the last of several users stops", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps);
    const stopA = access.startMediaAccessRenewal();
    const stopB = access.startMediaAccessRenewal();
    await browser.flush();
    stopA();
    stopA();
    expect(browser.pendingTimers()).toHaveLength(1);
    stopB();
    expect(browser.pendingTimers()).toHaveLength(0);
  });

  it("renews at once when a tab comes back after its timer was throttled", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps);
    access.startMediaAccessRenewal();
    await browser.flush();
    await browser.advance(9 * MINUTE, false);
    expect(browser.calls).toHaveLength(1);
    await browser.becomeVisible();
    expect(browser.calls).toHaveLength(2);
    expect(access.mediaAccessExpiry()).toEqual(new Date(T0 + 19 * MINUTE));
  });

  it("does not renew early when a tab comes back before the renewal is due", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps);
    access.startMediaAccessRenewal();
    await browser.flush();
    await browser.advance(3 * MINUTE, false);
    await browser.becomeVisible();
    expect(browser.calls).toHaveLength(1);
    expect(browser.pendingTimers()).toEqual([5 * MINUTE]);
  });

  it.each([401, 403])(
    "reports a signed-out member on %s and tells every renewal user",
    async (code) => {
      const browser = fakeBrowser();
      const access = createMediaAccess(browser.deps);
      let signedOutA = 0;
      let signedOutB = 0;
      access.startMediaAccessRenewal({ onSignedOut: () => (signedOutA += 1) });
      access.startMediaAccessRenewal({ onSignedOut: () => (signedOutB += 1) });
      await browser.flush();
      browser.setAnswer(status(code));
      expect(await access.renewNow()).toEqual({ signedOut: true });
      expect([signedOutA, signedOutB]).toEqual([1, 1]);
      expect(access.mediaAccessExpiry()).toBeNull();
      expect(browser.pendingTimers()).toEqual([]);
    },
  );

  it("retries later after a server error instead of giving up", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps);
    browser.setAnswer(status(503));
    access.startMediaAccessRenewal();
    await browser.flush();
    await expect(access.renewNow()).rejects.toBeInstanceOf(MediaAccessError);
    expect(browser.pendingTimers()).toHaveLength(1);
    const retryIn = browser.pendingTimers()[0]!;
    expect(retryIn).toBeGreaterThanOrEqual(MIN_RENEW_DELAY_MS);
    browser.setAnswer(() =>
      Promise.resolve(
        new Response(JSON.stringify({ expiresAt: new Date(T0 + 60 * MINUTE).toISOString() })),
      ),
    );
    await browser.advance(retryIn);
    expect(access.mediaAccessExpiry()).toEqual(new Date(T0 + 60 * MINUTE));
  });

  it("rejects with a MediaAccessError when the network fails", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps);
    browser.setAnswer(() => Promise.reject(new TypeError("Failed to fetch")));
    await expect(access.issueMediaCookies()).rejects.toMatchObject({ status: null });
    browser.setAnswer(() => Promise.resolve(new Response(JSON.stringify({ expiresAt: "soon" }))));
    await expect(access.issueMediaCookies()).rejects.toBeInstanceOf(MediaAccessError);
  });

  it("forgets the expiry and stops renewing when reset (sign-out)", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps);
    access.startMediaAccessRenewal();
    await browser.flush();
    expect(browser.pendingTimers()).toHaveLength(1);
    access.reset();
    expect(access.mediaAccessExpiry()).toBeNull();
    expect(browser.pendingTimers()).toEqual([]);
  });
});

describe("a video's playback cookies", () => {
  const VIDEO = { videoId: "vid123456" };
  const granted = (body: Record<string, unknown>) => () =>
    Promise.resolve(
      new Response(
        JSON.stringify({ expiresAt: new Date(T0 + 10 * MINUTE).toISOString(), ...body }),
        { status: 200, headers: { date: new Date(T0).toUTCString() } },
      ),
    );

  it("asks for that video by id, in a JSON body", async () => {
    const browser = fakeBrowser();
    const seen: RequestInit[] = [];
    const fetch = browser.deps.fetch;
    const access = createMediaAccess(
      { ...browser.deps, fetch: (input, init) => (seen.push(init ?? {}), fetch(input, init)) },
      VIDEO,
    );
    await access.issueMediaCookies();
    expect(seen[0]?.method).toBe("POST");
    expect(JSON.parse(seen[0]?.body as string)).toEqual({ videoId: "vid123456" });
    expect(new Headers(seen[0]?.headers).get("content-type")).toBe("application/json");
    // The catalog's cookies are asked for with no body at all.
    seen.length = 0;
    const catalog = createMediaAccess(
      { ...browser.deps, fetch: (input, init) => (seen.push(init ?? {}), fetch(input, init)) },
      "catalog",
    );
    await catalog.issueMediaCookies();
    expect(seen[0]?.body).toBeUndefined();
  });

  it("renews as often as the server's heartbeat says, not only near expiry", async () => {
    const browser = fakeBrowser();
    browser.setAnswer(granted({ renewAfterSeconds: 60, paths: ["/media/videos/vid123456/"] }));
    const remembered: [readonly string[], number][] = [];
    const access = createMediaAccess(
      { ...browser.deps, onPaths: (paths, until) => remembered.push([paths, until]) },
      VIDEO,
    );
    access.startMediaAccessRenewal();
    await browser.flush();
    // 60 s, not 80% of the 10 minutes left.
    expect(browser.pendingTimers()).toEqual([MINUTE]);
    expect(remembered).toEqual([[["/media/videos/vid123456/"], T0 + 10 * MINUTE]]);
    await browser.advance(MINUTE);
    expect(browser.calls).toHaveLength(2);
  });

  it("reports a video taken away (404) and stops renewing", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps, VIDEO);
    let gone = 0;
    access.startMediaAccessRenewal({ onUnavailable: () => (gone += 1) });
    await browser.flush();
    browser.setAnswer(status(404));
    expect(await access.renewNow()).toEqual({ unavailable: true });
    expect(gone).toBe(1);
    expect(browser.pendingTimers()).toEqual([]);
  });

  it("reports the stream limit (429 stream_limit) with the member's streams", async () => {
    const browser = fakeBrowser();
    const access = createMediaAccess(browser.deps, VIDEO);
    const limits: unknown[] = [];
    access.startMediaAccessRenewal({ onStreamLimit: (error) => limits.push(error) });
    await browser.flush();
    const error = { code: "stream_limit", message: "too many", limit: 3, streams: [] };
    browser.setAnswer(() =>
      Promise.resolve(new Response(JSON.stringify({ error }), { status: 429 })),
    );
    expect(await access.renewNow()).toEqual({ streamLimit: error });
    expect(limits).toEqual([error]);
    expect(browser.pendingTimers()).toEqual([]);
    // Another 429 (a plain rate limit) is a failure to retry, not the stream limit.
    browser.setAnswer(status(429));
    await expect(access.renewNow()).rejects.toBeInstanceOf(MediaAccessError);
  });
});
