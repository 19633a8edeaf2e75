/** What the watch page's inline script started, for the bundles to take over. */
export interface WatchBoot {
  id: string;
  video: Promise<Response>;
  cookies: Promise<Response>;
}

declare global {
  interface Window {
    __reelgateWatchBoot?: WatchBoot;
  }
}

/**
 * Runs inline in the watch page's HTML, as the parser reaches it: the video's record
 * and the media cookies are requested before any bundle has even downloaded (on this
 * machine, half a second before the page's own code runs). The page's code adopts both
 * answers (watch-preload.ts); if this script fails or is absent, it asks itself.
 *
 * Serialized with Function#toString into the HTML, so it must be self-contained: no
 * imports, no helpers, nothing a compiler would rewrite into a helper call.
 */
export function bootWatch(): void {
  try {
    if (location.pathname.replace(/\/+$/, "") !== "/watch") return;
    const id = (new URLSearchParams(location.search).get("v") || "").trim();
    if (!id) return;
    const headers = { accept: "application/json" };
    const boot = {
      id,
      video: fetch("/api/videos/" + encodeURIComponent(id), {
        credentials: "same-origin",
        headers,
      }),
      cookies: fetch("/api/signed-cookies", {
        method: "POST",
        credentials: "same-origin",
        headers,
        cache: "no-store",
      }),
    };
    // Read later by the page; a failure is handled there, never "unhandled" here.
    boot.video.catch(function () {});
    boot.cookies.catch(function () {});
    window.__reelgateWatchBoot = boot;
  } catch {
    // Old browser or blocked fetch: the page's code does the same work itself.
  }
}

/** The inline `<script>` body. */
export const bootWatchScript = `(${bootWatch.toString()})();`;

/** Hands over what the inline script started for `id`, once; null when it did not run. */
export function takeWatchBoot(id: string): WatchBoot | null {
  const boot = typeof window === "undefined" ? undefined : window.__reelgateWatchBoot;
  if (!boot || boot.id !== id) return null;
  delete window.__reelgateWatchBoot;
  return boot;
}
