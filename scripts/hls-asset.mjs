// hls.js for the player, built here from hls.js's own TypeScript sources, and where the
// static build serves it: a file named by its content under /_next/static/, which the
// site deployment and the preview edge serve as immutable. next.config.mjs builds it
// (buildHls) and gives its path to the app (NEXT_PUBLIC_HLS_SCRIPT);
// scripts/finish-static-build.ts copies it there (hlsAsset).
//
// Why not hls.js's published light build: that one carries what Reelgate never serves,
// and it is half of the watch page's JavaScript. What is left out, and why each is safe:
//
//   - hls.js's own optional features, switched off with hls.js's own build flags, as its
//     light build does: alternate audio, EME DRM, subtitles in the playlist (captions are
//     <track> elements), CMCD, content steering, variable substitution, interstitials,
//     I-frame playlists, Dolby/HEVC-in-TS codecs and the MediaCapabilities checks.
//   - Everything for MPEG-TS, AAC and MP3 segments: the demuxers and the MP4 remuxer.
//     The transcoder writes fragmented MP4 (lib/media/plan-transcode.ts), which hls.js
//     hands to Media Source Extensions as it is (mp4demuxer + passthrough remuxer).
//   - The transmuxer worker: passing fMP4 through is cheap on the main thread, and the
//     worker's start (a thread and a second compile of hls.js) delayed the first frame.
//   - The low-latency (LL-HLS), FPS-drop and ID3-track controllers and the progressive
//     fetch loader: VOD only, `capLevelOnFPSDrop` and `progressive` stay off, no ID3.
//   - AES-128 decryption and key loading: the media is private by signed cookies, not
//     encrypted. An encrypted playlist fails with a fatal hls.js error, not silently.
//
// A module left out is replaced below by one with the same exports that reports the
// feature absent (a demuxer that recognises nothing, `undefined` for an optional
// controller, which hls.js checks for). hls.js's dependencies are devDependencies here,
// pinned to the versions hls.js itself pins; a mismatch stops the build.
//
// The output is cached in node_modules/.cache, keyed by everything it is made from.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const hlsDir = path.dirname(require.resolve("hls.js/package.json"));
const hlsSrc = path.join(hlsDir, "src");
const cacheDir = path.join(root, "node_modules", ".cache", "reelgate-hls");

/** hls.js's bundled dependencies, which its sources import. */
const HLS_DEPENDENCIES = [
  "eventemitter3",
  "url-toolkit",
  "@svta/cml-cmcd",
  "@svta/cml-id3",
  "@svta/cml-structured-field-values",
  "@svta/cml-utils",
];

/** hls.js's build flags (its src/define-plugin.d.ts): every optional feature off. */
const FEATURE_FLAGS = [
  "ALT_AUDIO",
  "EME_DRM",
  "SUBTITLES",
  "CMCD",
  "CONTENT_STEERING",
  "VARIABLE_SUBSTITUTION",
  "M2TS_ADVANCED_CODECS",
  "MEDIA_CAPABILITIES",
  "INTERSTITIALS",
  "IFRAMES",
];

/** The browsers Next.js 16 builds the rest of the site for. */
const TARGETS = ["chrome111", "edge111", "firefox111", "safari16.4"];

const NO_DEMUXER = `// Left out of Reelgate's hls.js (scripts/hls-asset.mjs): recognises no segment.
export default class NotIncluded {
  static probe() {
    return false;
  }
}
`;
const NO_ENCRYPTION = "Encrypted segments are not supported: Reelgate serves clear fMP4";
const ABSENT = `// Left out of Reelgate's hls.js (scripts/hls-asset.mjs): hls.js skips an absent controller.
export default undefined;
`;

/**
 * Modules replaced, by path under hls.js's src/, with what replaces them. Each must exist
 * in hls.js (checked), so an hls.js upgrade that moves one stops the build.
 */
const REPLACED = {
  "demux/transmuxer-worker.ts": "export {};\n",
  "demux/tsdemuxer.ts": NO_DEMUXER,
  "demux/audio/aacdemuxer.ts": NO_DEMUXER,
  "demux/audio/mp3demuxer.ts": NO_DEMUXER,
  // Other modules take helper functions from the MP4 remuxer; only those stay.
  "remux/mp4-remuxer.ts": `export { flushTextTrackMetadataCueSamples, flushTextTrackUserdataCueSamples, normalizePts } from "./mp4-remuxer.ts?original";
export default class NotIncluded {
  constructor() {
    throw new Error("MPEG-TS, AAC and MP3 segments are not supported: Reelgate serves fMP4");
  }
}
`,
  "loader/key-loader.ts": `// Left out of Reelgate's hls.js (scripts/hls-asset.mjs): clear segments need no key.
export default class NotIncluded {
  constructor() {
    this.emeController = null;
  }
  abort() {}
  destroy() {}
  loadClear() {
    return null;
  }
  load() {
    return Promise.reject(new Error(${JSON.stringify(NO_ENCRYPTION)}));
  }
}
`,
  "crypt/decrypter.ts": `// Left out of Reelgate's hls.js (scripts/hls-asset.mjs): clear segments need no decrypting.
export default class NotIncluded {
  destroy() {}
  isSync() {
    return false;
  }
  flush() {
    return null;
  }
  reset() {}
  decrypt() {
    return Promise.reject(new Error(${JSON.stringify(NO_ENCRYPTION)}));
  }
}
`,
  "controller/latency-controller.ts": ABSENT,
  "controller/fps-controller.ts": ABSENT,
  "controller/id3-track-controller.ts": ABSENT,
  "utils/cues.ts": ABSENT,
  "utils/fetch-loader.ts": `// Left out of Reelgate's hls.js (scripts/hls-asset.mjs): \`progressive\` stays off.
export default undefined;
export function fetchSupported() {
  return false;
}
`,
};

/** The installed version (read from node_modules: some of these do not export package.json). */
function versionOf(name) {
  return JSON.parse(readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8"))
    .version;
}

/** Stops with a message naming the fix when a dependency is not the version hls.js pins. */
function checkDependencies() {
  const pinned = JSON.parse(
    readFileSync(path.join(hlsDir, "package.json"), "utf8"),
  ).devDependencies;
  for (const name of HLS_DEPENDENCIES) {
    const installed = versionOf(name);
    if (pinned?.[name] !== installed) {
      throw new Error(
        `hls.js ${versionOf("hls.js")} is built with ${name}@${pinned?.[name]}, but ${installed} is installed: set that exact version in package.json's devDependencies`,
      );
    }
  }
  for (const file of Object.keys(REPLACED)) {
    if (!existsSync(path.join(hlsSrc, file))) {
      throw new Error(
        `hls.js has no src/${file} any more: update REPLACED in scripts/hls-asset.mjs`,
      );
    }
  }
}

/** What the build is made from; its hash names the cached output. */
function buildKey() {
  const parts = [
    readFileSync(fileURLToPath(import.meta.url)),
    ...["hls.js", "esbuild", "terser", ...HLS_DEPENDENCIES].map((n) => `${n}@${versionOf(n)}`),
  ];
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex").slice(0, 16);
}

function cachedFile() {
  return path.join(cacheDir, `hls.${buildKey()}.min.js`);
}

/** Resolves hls.js's relative imports to files, replaces the REPLACED ones, marks all pure. */
const replacePlugin = {
  name: "reelgate-hls-replace",
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      if (!args.resolveDir.startsWith(hlsSrc)) return undefined;
      const original = args.path.endsWith("?original");
      const request = original ? args.path.slice(0, -"?original".length) : args.path;
      let file = path.resolve(args.resolveDir, request);
      if (!/\.[cm]?[jt]s$/.test(file)) file += existsSync(`${file}.ts`) ? ".ts" : ".js";
      const rel = path.relative(hlsSrc, file);
      if (!original && rel in REPLACED) return { path: file, namespace: "replaced" };
      // hls.js's modules define classes and constants; a module nothing uses is dropped.
      return { path: file, sideEffects: false };
    });
    build.onLoad({ filter: /.*/, namespace: "replaced" }, (args) => ({
      contents: REPLACED[path.relative(hlsSrc, args.path)],
      loader: "js",
      resolveDir: path.dirname(args.path),
    }));
  },
};

async function compile() {
  const { build } = await import("esbuild");
  const { minify } = await import("terser");
  const define = { __VERSION__: JSON.stringify(versionOf("hls.js")), __IN_WORKER__: "false" };
  for (const flag of FEATURE_FLAGS) define[`__USE_${flag}__`] = "false";
  const result = await build({
    stdin: {
      // A classic script that defines `Hls`, as the published UMD build does: the watch
      // page's inline script (early-player.ts) runs before any bundle.
      contents: `import Hls from "./src/exports-default.ts";\nself.Hls = Hls;\n`,
      resolveDir: hlsDir,
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    target: TARGETS,
    define,
    plugins: [replacePlugin],
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  // terser, not esbuild's minifier: about 5 KB smaller gzipped on hls.js.
  const minified = await minify(result.outputFiles[0].text, {
    ecma: 2020,
    compress: { passes: 2 },
    format: {
      comments: false,
      preamble: `/*! hls.js ${versionOf("hls.js")} | Apache-2.0 | https://github.com/video-dev/hls.js */`,
    },
  });
  if (!minified.code) throw new Error("terser returned no code for hls.js");
  return minified.code;
}

/**
 * Builds Reelgate's hls.js unless the cache has it, and returns it like hlsAsset. Safe to
 * run in parallel (Next loads its config in several processes): the file appears whole.
 * @returns {Promise<{ source: string; urlPath: string }>}
 */
export async function buildHls() {
  checkDependencies();
  const file = cachedFile();
  if (!existsSync(file)) {
    const code = await compile();
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return hlsAsset();
}

/**
 * The built hls.js (`source`) and the path the site serves it at (`urlPath`).
 * @returns {{ source: string; urlPath: string }}
 */
export function hlsAsset() {
  const source = cachedFile();
  if (!existsSync(source)) {
    throw new Error("hls.js is not built yet: next.config.mjs builds it (npm run build:static)");
  }
  const hash = createHash("sha256").update(readFileSync(source)).digest("hex").slice(0, 16);
  return { source, urlPath: `/_next/static/vendor/hls.${hash}.min.js` };
}

// `node scripts/hls-asset.mjs`: build it and print where it is and how big.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { gzipSync } = await import("node:zlib");
  const asset = await buildHls();
  const code = readFileSync(asset.source);
  console.log(
    `${asset.source}\n${asset.urlPath}\n${code.length} bytes, ${gzipSync(code).length} gzipped`,
  );
}
