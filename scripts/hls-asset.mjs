// Where the static build serves hls.js (its light UMD build): a file named by its content
// under /_next/static/, which the site deployment and the preview edge serve as immutable.
// next.config.mjs gives the path to the app (NEXT_PUBLIC_HLS_SCRIPT) and
// scripts/finish-static-build.ts copies the file there.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** @returns {{ source: string; urlPath: string }} */
export function hlsAsset() {
  const require = createRequire(import.meta.url);
  const source = path.join(
    path.dirname(require.resolve("hls.js/package.json")),
    "dist/hls.light.min.js",
  );
  const hash = createHash("sha256").update(readFileSync(source)).digest("hex").slice(0, 16);
  return { source, urlPath: `/_next/static/vendor/hls.light.${hash}.min.js` };
}
