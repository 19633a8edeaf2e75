/** What the inline script started, for the bundles to take over. */
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

/** Hands over what the inline script started for `id`, once; null when it did not run. */
export function takeWatchBoot(id: string): WatchBoot | null {
  const boot = typeof window === "undefined" ? undefined : window.__reelgateWatchBoot;
  if (!boot || boot.id !== id) return null;
  delete window.__reelgateWatchBoot;
  return boot;
}
