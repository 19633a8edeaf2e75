// One app, two build outputs (DESIGN: "One Next.js app, two build outputs").
//
//   BUILD_TARGET=static  pages only (*.tsx) -> `out/`, the site bucket
//   BUILD_TARGET=api     route handlers only (*.ts) -> `.next-api/standalone`
//
// The split is done with `pageExtensions`: every page, layout and client leaf in
// `app/` is a .tsx file and every route handler is a `route.ts`, so each target sees
// only its own half. A GET route handler left in the static build would fail it,
// and a page in the api build would drag client code into the server image.
// Each target has its own tsconfig (own `types` folder under its own distDir),
// otherwise the second build fails type-checking on the first build's types.

import { buildHls } from "./scripts/hls-asset.mjs";

const target = process.env.BUILD_TARGET ?? "static";
if (target !== "static" && target !== "api") {
  throw new Error(`BUILD_TARGET must be "static" or "api", got "${target}"`);
}

/** @returns {Promise<import('next').NextConfig>} */
const staticConfig = async () => ({
  output: "export",
  pageExtensions: ["tsx"],
  trailingSlash: false,
  images: { unoptimized: true },
  typescript: { tsconfigPath: "tsconfig.static.json" },
  poweredByHeader: false,
  reactStrictMode: true,
  // hls.js is built from its sources and served as a file of its own
  // (scripts/hls-asset.mjs), not bundled.
  env: { NEXT_PUBLIC_HLS_SCRIPT: (await buildHls()).urlPath },
});

/** @type {import('next').NextConfig} */
const apiConfig = {
  output: "standalone",
  distDir: ".next-api",
  // No 308 to the path without its trailing slash: a path that resolves to one (such as
  // /api/videos/%2e%2e) gets the JSON of its route or of the catch-all, never a redirect.
  skipTrailingSlashRedirect: true,
  pageExtensions: ["ts"],
  typescript: { tsconfigPath: "tsconfig.api.json" },
  poweredByHeader: false,
  // Native and wasm packages must be loaded from node_modules, not bundled.
  // pino and prom-client too: scripts/api-server.mjs loads the same copies from the
  // standalone node_modules, so the process has one logger and one metrics registry.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg", "pino", "prom-client"],
  outputFileTracingIncludes: {
    "/*": ["./lib/db/migrations/**/*"],
  },
};

export default target === "static" ? staticConfig : apiConfig;
