import { existsSync } from "node:fs";

/**
 * Debian's Chromium where it is installed (Playwright cannot download browsers on
 * these machines); CHROMIUM_PATH to choose another; otherwise Playwright's own.
 */
export const chromiumPath: string | undefined =
  process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

/** Flags that keep headless Chromium off the (closed) network and quiet. */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--autoplay-policy=no-user-gesture-required",
];
