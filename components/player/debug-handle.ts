import type Hls from "hls.js";

/**
 * Plain debugging handle on `window.__reelgatePlayer`, used by the Playwright tests to
 * read and pick quality levels. Holds nothing secret: the cookies are HttpOnly.
 */
export interface ReelgatePlayerHandle {
  hls: Hls | null;
  levels: () => { height: number }[];
  currentLevel: () => number;
  setLevel: (index: number) => void;
}

declare global {
  interface Window {
    __reelgatePlayer?: ReelgatePlayerHandle;
  }
}

export function exposeDebugHandle(handle: ReelgatePlayerHandle): () => void {
  window.__reelgatePlayer = handle;
  return () => {
    if (window.__reelgatePlayer === handle) delete window.__reelgatePlayer;
  };
}
