import type {
  HlsConfig,
  Loader,
  LoaderCallbacks,
  LoaderConfiguration,
  LoaderContext,
  LoaderStats,
} from "hls.js";
import { describe, expect, it } from "vitest";
import { createMediaAccessLoader } from "@/components/player/media-access-loader";
import type { MediaCookieResult, RenewNowOptions } from "@/lib/client/media-access";

/** Stand-in for hls.js's XhrLoader: answers each load() from a script of HTTP statuses. */
function fakeBase(script: number[]) {
  const sent: string[] = [];
  class FakeLoader implements Loader<LoaderContext> {
    context: LoaderContext | null = null;
    stats = {
      aborted: false,
      loaded: 0,
      retry: 0,
      total: 0,
      chunkCount: 0,
      bwEstimate: 0,
      loading: { start: 0, first: 0, end: 0 },
      parsing: { start: 0, end: 0 },
      buffering: { start: 0, first: 0, end: 0 },
    } as LoaderStats;
    constructor(_config: HlsConfig) {}
    load(
      context: LoaderContext,
      _config: LoaderConfiguration,
      callbacks: LoaderCallbacks<LoaderContext>,
    ) {
      // Same guard as hls.js's BaseLoader.
      if (this.stats.loading.start) throw new Error("Loader can only be used once.");
      this.stats.loading.start = 1;
      this.context = context;
      sent.push(context.url);
      const code = script.shift() ?? 200;
      queueMicrotask(() => {
        if (code === 200)
          callbacks.onSuccess({ url: context.url, data: "ok", code }, this.stats, context, null);
        else callbacks.onError({ code, text: "Forbidden" }, context, null, this.stats);
      });
    }
    abort() {
      this.stats.aborted = true;
    }
    destroy() {}
  }
  return { Base: FakeLoader as unknown as HlsConfig["loader"], sent };
}

function run(script: number[], renewResult: () => Promise<MediaCookieResult>) {
  const { Base, sent } = fakeBase(script);
  const renewals: RenewNowOptions[] = [];
  const Loader = createMediaAccessLoader(Base, (options) => {
    renewals.push(options);
    return renewResult();
  });
  const loader = new Loader({} as HlsConfig);
  const statsAtStart = loader.stats;
  const outcome = new Promise<{ kind: string; code?: number; stats: LoaderStats }>((resolve) => {
    loader.load(
      {
        url: "/media/videos/a/hls/720p/seg1.m4s",
        responseType: "arraybuffer",
        type: "media-fragment",
      } as LoaderContext,
      {} as LoaderConfiguration,
      {
        onSuccess: (_r, stats) => resolve({ kind: "success", stats }),
        onError: (error, _c, _d, stats) => resolve({ kind: "error", code: error.code, stats }),
        onTimeout: (stats) => resolve({ kind: "timeout", stats }),
      },
    );
  });
  return { loader, outcome, sent, renewals, statsAtStart };
}

const renewed = () => Promise.resolve({ expiresAt: new Date(Date.now() + 600_000) });

describe("createMediaAccessLoader", () => {
  it("passes a normal response through without renewing", async () => {
    const { outcome, sent, renewals } = run([200], renewed);
    expect((await outcome).kind).toBe("success");
    expect(sent).toHaveLength(1);
    expect(renewals).toHaveLength(0);
  });

  it("renews once on 403 and re-sends the same request on the same stats", async () => {
    const before = Date.now();
    const { outcome, sent, renewals, statsAtStart, loader } = run([403, 200], renewed);
    const result = await outcome;
    expect(result.kind).toBe("success");
    expect(sent).toEqual([
      "/media/videos/a/hls/720p/seg1.m4s",
      "/media/videos/a/hls/720p/seg1.m4s",
    ]);
    expect(renewals).toHaveLength(1);
    expect(renewals[0]!.ifNotRenewedSince).toBeGreaterThanOrEqual(before);
    expect(result.stats).toBe(statsAtStart);
    expect(loader.stats.retry).toBe(1);
  });

  it("gives up after a second 403 with the CDN's status", async () => {
    const { outcome, sent, renewals } = run([403, 403, 200], renewed);
    const result = await outcome;
    expect(result).toMatchObject({ kind: "error", code: 403 });
    expect(sent).toHaveLength(2);
    expect(renewals).toHaveLength(1);
  });

  it("does not re-send when the session ended", async () => {
    const { outcome, sent } = run([403, 200], () => Promise.resolve({ signedOut: true }));
    expect(await outcome).toMatchObject({ kind: "error", code: 403 });
    expect(sent).toHaveLength(1);
  });

  it("reports the 403 when renewal itself fails", async () => {
    const { outcome, sent } = run([403, 200], () => Promise.reject(new Error("offline")));
    expect(await outcome).toMatchObject({ kind: "error", code: 403 });
    expect(sent).toHaveLength(1);
  });

  it("does not renew for other errors", async () => {
    const { outcome, renewals } = run([404], renewed);
    expect(await outcome).toMatchObject({ kind: "error", code: 404 });
    expect(renewals).toHaveLength(0);
  });

  it("stays quiet when hls.js aborts the request during the renewal", async () => {
    let release: (r: MediaCookieResult) => void = () => undefined;
    const { loader, outcome, sent } = run(
      [403, 200],
      () => new Promise<MediaCookieResult>((resolve) => (release = resolve)),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    loader.abort();
    release({ expiresAt: new Date() });
    const settled = await Promise.race([
      outcome.then(() => "settled"),
      new Promise((resolve) => setTimeout(() => resolve("quiet"), 20)),
    ]);
    expect(settled).toBe("quiet");
    expect(sent).toHaveLength(1);
  });
});
