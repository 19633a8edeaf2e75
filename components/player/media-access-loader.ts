import type {
  HlsConfig,
  LoaderCallbacks,
  LoaderConfiguration,
  LoaderContext,
  LoaderOnError,
} from "hls.js";
import type { MediaCookieResult, RenewNowOptions } from "@/lib/client/media-access";

type LoaderClass = HlsConfig["loader"];

/**
 * hls.js loader that survives expired media cookies. A 403 from the CDN on a playlist or
 * segment renews the cookies once (sharing the renewal with every other failed request)
 * and re-sends the same request from the same loader, so hls.js sees a slow response,
 * not an error: no level penalty, no fatal error, no player restart. hls.js itself never
 * retries a 4xx. A second 403, or a refused renewal (session ended, video withdrawn,
 * stream limit), goes to hls.js as the error it is.
 */
export function createMediaAccessLoader(
  Base: LoaderClass,
  renew: (options: RenewNowOptions) => Promise<MediaCookieResult>,
): LoaderClass {
  return class MediaAccessLoader extends Base {
    private cancelled = false;

    override load(
      context: LoaderContext,
      config: LoaderConfiguration,
      callbacks: LoaderCallbacks<LoaderContext>,
    ): void {
      const startedAt = Date.now();
      let renewed = false;
      const onError: LoaderOnError<LoaderContext> = (error, ctx, details, stats) => {
        if (error.code !== 403 || renewed || this.cancelled) {
          callbacks.onError(error, ctx, details, stats);
          return;
        }
        renewed = true;
        renew({ ifNotRenewedSince: startedAt }).then(
          (result) => {
            if (this.cancelled) return;
            if (!("expiresAt" in result)) {
              callbacks.onError(error, ctx, details, stats);
              return;
            }
            // The base loader refuses a second load() ("Loader can only be used once")
            // while stats.loading.start is set. Resetting it, rather than building a new
            // loader, keeps this stats object, which hls.js already holds as frag.stats.
            this.stats.loading.start = 0;
            this.stats.retry += 1;
            super.load(ctx, config, wrapped);
          },
          () => {
            if (!this.cancelled) callbacks.onError(error, ctx, details, stats);
          },
        );
      };
      const wrapped: LoaderCallbacks<LoaderContext> = { ...callbacks, onError };
      super.load(context, config, wrapped);
    }

    override abort(): void {
      this.cancelled = true;
      super.abort();
    }

    override destroy(): void {
      this.cancelled = true;
      super.destroy();
    }
  };
}
