/**
 * The last step of the static build (`npm run build:static`, and `npm start` when it
 * builds), on what `next build` wrote to out/:
 *
 *   1. copies Reelgate's hls.js build to the path the app was built with (hls-asset.mjs);
 *   2. takes the watch page's Next.js scripts out of its HTML and lists them for the
 *      page's inline script, which adds them once the video's first frame is on screen
 *      (components/player/early-player.ts).
 *
 * Next.js has no option to hold back a page's own scripts; rewriting the exported HTML
 * is the only way, and it fails the build loudly when the HTML is not what it expects.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { APP_SCRIPTS_ID, scriptSafeJson } from "../components/player/early-player";
import { hlsAsset } from "./hls-asset.mjs";

const APP_SCRIPT = /<script src="(\/_next\/static\/[^"]+\.js)" async=""><\/script>/g;
const APP_SCRIPT_PRELOAD =
  /<link rel="preload" as="script" fetchPriority="low" href="\/_next\/static\/[^"]+\.js"\/>/g;
const EMPTY_LIST = `<script id="${APP_SCRIPTS_ID}" type="application/json">[]</script>`;

/** The watch page's HTML without its Next.js scripts, which it lists in their place. */
export function deferAppScripts(html: string): { html: string; scripts: string[] } {
  if (!html.includes(EMPTY_LIST)) {
    throw new Error(`the page has no ${APP_SCRIPTS_ID} list to fill`);
  }
  const scripts: string[] = [];
  const rest = html
    .replace(APP_SCRIPT, (_tag, src: string) => {
      scripts.push(src);
      return "";
    })
    // Their low-priority preloads go too: nothing of the app competes with the first frame.
    .replace(APP_SCRIPT_PRELOAD, "");
  if (scripts.length === 0) {
    throw new Error(
      "no Next.js scripts found in the page: has the shape of Next's output changed?",
    );
  }
  const list = `<script id="${APP_SCRIPTS_ID}" type="application/json">${scriptSafeJson(scripts)}</script>`;
  return { html: rest.replace(EMPTY_LIST, list), scripts };
}

export function finishStaticBuild(root: string): void {
  const out = path.join(root, "out");
  const hls = hlsAsset();
  const target = path.join(out, hls.urlPath);
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(hls.source, target);

  const watch = path.join(out, "watch.html");
  writeFileSync(watch, deferAppScripts(readFileSync(watch, "utf8")).html);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  finishStaticBuild(path.resolve(import.meta.dirname, ".."));
  console.log("[reelgate] static build finished: hls.js copied, watch page scripts deferred");
}
