/**
 * `npm run bench [-- --quick | --only=frame | --only=logging | --only=signing]`: every speed
 * claim, each as a ratio against a baseline measured in the same run on the same machine.
 *
 *   signing      catalog and playback issuance signing every request, RSA-2048 + SHA-1 and
 *                ECDSA P-256 + SHA-256, each vs its raw crypto.sign rate, and ECDSA vs RSA; the
 *                Cookie header bytes of a segment request; the edge's uncached check per key
 *                type (bench/signing.ts)
 *   issuance     POST /api/signed-cookies through the edge  vs  crypto.sign('RSA-SHA1'), an RSA key
 *   segments     signed GET /media/... through the edge     vs  unsigned GET of the same bytes from the site behavior
 *   transcode    upload complete -> video ready             vs  the bare one-pass ffmpeg ladder command, same source
 *   first frame  the watch page                             vs  a bare hls.js page on the same master playlist
 *                                                               (and, for context, a bare page on Reelgate's hls.js)
 *   JavaScript   gzipped JS sent for landing, catalog and watch pages
 *   logging      issuance and segment GETs with LOG_LEVEL=info  vs  the same with LOG_LEVEL=warn
 *
 * --quick runs small sizes and short durations (the test suite runs it once to
 * prove the bench works; its numbers are not the claims).
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { chromium, type Browser } from "@playwright/test";
import { bareLadderCommand, probe } from "../lib/media";
import { hlsAsset } from "../scripts/hls-asset.mjs";
import { makeTestVideo } from "../tests/support/test-video";
import { chromiumArgs, chromiumPath } from "../tests/support/chromium";
import {
  createMember,
  issueMediaCookies,
  mediaCookies,
  signIn,
  startPreview,
  type Preview,
} from "../tests/support/preview";
import { uploadAndPublish } from "../tests/support/upload";
import { fmt, machine, writeResults, type Row } from "./report";
import {
  benchRsaKeyFile,
  benchSigning,
  cpuCell,
  measureIssuance,
  rawSignsPerSecond,
} from "./signing";

const quick = process.argv.includes("--quick");
// --only=frame: the browser rows alone (first frame and page weight) on a short video,
// for working on the watch page; its table is not a full run.
const onlyFrame = process.argv.includes("--only=frame");
// --only=logging: the logging rows alone, on a short video.
const onlyLogging = process.argv.includes("--only=logging");
// --only=signing: the signing rows alone (bench/signing.ts), for work on keys and issuance.
const onlySigning = process.argv.includes("--only=signing");
const onlyOne = onlyFrame || onlyLogging || onlySigning;
const root = process.cwd();
const PORT = Number(process.env.BENCH_PORT ?? 3137);
const SECONDS = quick ? 2 : 10;
// Nine, not five: single runs on 2 cores spread by +-100 ms, and the median of five moved by
// 0.15 between runs of the same build.
const FRAME_RUNS = quick ? 1 : 9;

const BENCH_MEMBER = { email: "bench-member@reelgate.test", password: "bench-member-password-1" };

const rows: Row[] = [];
const extra: Record<string, unknown> = {};
const say = (line: string) => console.log(`[bench] ${line}`);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  // A short warm-up first, not counted: the servers' first requests run unoptimized code.
  await autocannon({ connections: 8, ...opts, duration: quick ? 1 : 2 });
  return autocannon({ duration: SECONDS, connections: 8, ...opts });
}

// --- 1. cookie issuance -------------------------------------------------------

/**
 * Issuance as members get it by default (the ECDSA dev key, SHA-256, a signature reused
 * within a second), against the raw sign rate of an RSA-2048 key with SHA-1, the row and
 * target of issue 3, kept comparable across the switch to ECDSA: a video's playback
 * cookies (`{videoId}`: the session, the video's access rule read from the database, the
 * stream registry, the signature, the access log), which every watch start and every
 * renewal costs; and the catalog's cookies (session and signature, what the single
 * wildcard cookie cost before per-video access), for comparison. The signing rows
 * (bench/signing.ts) sign every request.
 */
async function benchIssuance(preview: Preview, member: string, videoId: string): Promise<void> {
  say("cookie issuance...");
  const raw = rawSignsPerSecond(benchRsaKeyFile(preview.dataDir), "sha1", SECONDS);
  const playback = await measureIssuance(preview, member, quick, videoId);
  const catalog = await measureIssuance(preview, member, quick);
  for (const [what, r] of [
    ["playback", playback],
    ["catalog", catalog],
  ] as const) {
    if (r.errors > 0) throw new Error(`${what} issuance had ${r.errors} non-2xx or errors`);
  }
  // Next.js's router on this machine: the catch-all's JSON 404, no session, no database,
  // no signing. Issuance is answered without it (scripts/api-server.mjs calls its handler
  // directly); this row shows what that saves.
  const floor = await cannon({ url: `${preview.base}/api/bench-floor` });
  if (floor.errors > 0 || floor.non2xx !== floor.requests.total)
    throw new Error(`the floor route answered ${floor.requests.total - floor.non2xx} non-404s`);
  rows.push({
    name: "playback cookie issuance, per watch start or renewal (req/s)",
    value: `${fmt(playback.perSecond)} (${cpuCell(playback.cpuMsPerRequest)})`,
    baseline: `${fmt(raw)} raw RSA-SHA1 signs/s (1 core)`,
    ratio: playback.perSecond / raw,
    // Issue 3's ">= 0.70" held for one wildcard cookie set; a playback issue now also reads
    // the video's access rule and touches the stream registry and the access log.
    target: "(context: was >= 0.70 before per-video access)",
    command:
      'npm run bench (autocannon POST /api/signed-cookies {"videoId"}, a member, 8 connections; the default: ECDSA dev key, SHA-256, signature reused)',
  });
  rows.push({
    name: "catalog cookie issuance (req/s)",
    value: `${fmt(catalog.perSecond)} (${cpuCell(catalog.cpuMsPerRequest)})`,
    baseline: `${fmt(raw)} raw RSA-SHA1 signs/s (1 core)`,
    ratio: catalog.perSecond / raw,
    target: "(context: no video lookup)",
    command: "npm run bench (autocannon POST /api/signed-cookies, no body, same member)",
  });
  rows.push({
    name: "Next.js router floor: JSON 404 (req/s)",
    value: fmt(floor.requests.average),
    baseline: `${fmt(raw)} raw RSA-SHA1 signs/s (1 core)`,
    ratio: floor.requests.average / raw,
    target: "(context: why issuance skips it)",
    command: "npm run bench (autocannon GET /api/bench-floor, 8 connections)",
  });
  extra.routeHandlerFloor = summary(floor);
  extra.issuance = { ...playback, catalog, rawSignsPerSecond: raw };
}

// --- 2. signed segment GETs -------------------------------------------------------

async function benchSegments(preview: Preview, media: string, segmentPath: string): Promise<void> {
  say("segment GETs...");
  const bytes = Buffer.from(
    await (
      await fetch(`${preview.base}${segmentPath}`, { headers: { cookie: media } })
    ).arrayBuffer(),
  );
  const unsignedDir = path.join(root, "out", "bench");
  mkdirSync(unsignedDir, { recursive: true });
  writeFileSync(path.join(unsignedDir, "segment.ts"), bytes);
  const signed = await cannon({ url: `${preview.base}${segmentPath}`, headers: { cookie: media } });
  const unsigned = await cannon({ url: `${preview.base}/bench/segment.ts` });
  for (const r of [signed, unsigned]) {
    if (r.non2xx > 0 || r.errors > 0)
      throw new Error(`segment GETs had ${r.non2xx} non-2xx, ${r.errors} errors`);
  }
  rows.push({
    name: `signed segment GETs (req/s, ${fmt(bytes.length / 1024)} KiB)`,
    value: `${fmt(signed.requests.average)} (p50 ${signed.latency.p50} ms, p99 ${signed.latency.p99} ms)`,
    baseline: `${fmt(unsigned.requests.average)} unsigned (p50 ${unsigned.latency.p50} ms, p99 ${unsigned.latency.p99} ms)`,
    ratio: signed.requests.average / unsigned.requests.average,
    target: ">= 0.80",
    command: "npm run bench (autocannon GET, 8 connections)",
  });
  extra.segments = { bytes: bytes.length, signed: summary(signed), unsigned: summary(unsigned) };
}

function summary(r: autocannon.Result) {
  return {
    perSecond: r.requests.average,
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
    throughputBytes: r.throughput.average,
  };
}

// --- 3. transcode -------------------------------------------------------------------

async function benchTranscode(preview: Preview, session: string): Promise<{ videoId: string }> {
  const seconds = quick || onlyLogging ? 6 : onlyFrame ? 12 : 60;
  const size = quick || onlyLogging ? "640x360" : "1920x1080";
  say(`transcode of a ${seconds} s ${size} source...`);
  const work = mkdtempSync(path.join(os.tmpdir(), "reelgate-bench-src-"));
  const source = path.join(work, "source.mp4");
  makeTestVideo(source, { seconds, size });

  const { videoId, processingMs } = await uploadAndPublish(
    preview.base,
    session,
    source,
    "Bench source",
  );
  if (onlyOne) {
    rmSync(work, { recursive: true, force: true });
    return { videoId };
  }
  const info = await probe(source);
  const bare = bareLadderCommand(source, path.join(work, "bare"), info);
  mkdirSync(path.join(work, "bare"), { recursive: true });
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(bare.command, bare.args, { stdio: "ignore" });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`bare ffmpeg exited ${code}`)),
    );
  });
  const bareMs = performance.now() - started;
  rmSync(work, { recursive: true, force: true });
  rows.push({
    name: `transcode pipeline (${seconds} s ${size})`,
    value: `${fmt(processingMs / 1000, 1)} s`,
    baseline: `${fmt(bareMs / 1000, 1)} s bare ffmpeg ladder`,
    ratio: processingMs / bareMs,
    target: "<= 1.10",
    command: "npm run bench (complete upload -> ready, vs ffmpeg with bareLadderCommand() args)",
  });
  extra.transcode = { seconds, size, pipelineMs: processingMs, bareMs };
  return { videoId };
}

// --- 4. first frame and 5. JavaScript ----------------------------------------------

const FIRST_FRAME_PROBE = `
  window.__firstFrame = null;
  window.__clickAt = null;
  addEventListener("click", () => { if (window.__clickAt === null) window.__clickAt = performance.now(); }, true);
  new MutationObserver(() => {
    const v = document.querySelector("video");
    if (!v || v.__probed) return;
    v.__probed = true;
    const mark = () => { if (window.__firstFrame === null) window.__firstFrame = performance.now(); };
    if ("requestVideoFrameCallback" in v) v.requestVideoFrameCallback(mark);
    else v.addEventListener("playing", mark, { once: true });
  }).observe(document, { childList: true, subtree: true });
`;

/**
 * The bare pages: a <video>, hls.js and three lines. `bare.html` runs hls.js's published
 * light build with its defaults, the page anyone would write; `bare-reelgate.html` runs the
 * hls.js the watch page ships (scripts/hls-asset.mjs), which shows what the page itself
 * costs on top of its hls.js.
 */
function writeBarePages(): void {
  const dir = path.join(root, "out", "bench");
  mkdirSync(dir, { recursive: true });
  const pages = [
    ["bare.html", path.join(root, "node_modules/hls.js/dist/hls.light.min.js"), "hls.light.min.js"],
    ["bare-reelgate.html", hlsAsset().source, "hls.reelgate.min.js"],
  ] as const;
  for (const [page, source, script] of pages) {
    copyFileSync(source, path.join(dir, script));
    writeFileSync(
      path.join(dir, page),
      `<!doctype html><meta charset="utf-8"><title>bare hls.js</title>
<video id="v" muted playsinline style="width:640px"></video><button id="play" type="button">Play</button>
<script src="/bench/${script}"></script>
<script>
  const v = document.getElementById("v");
  const hls = new Hls();
  hls.loadSource(new URLSearchParams(location.search).get("src"));
  hls.attachMedia(v);
  document.getElementById("play").onclick = () => v.play();
</script>`,
    );
  }
}

async function firstFrameMs(
  browser: Browser,
  storage: Awaited<ReturnType<typeof contextState>>,
  url: string,
  play: string,
): Promise<{ ms: number; clickMs: number; loadMs: number; jsGzip: number }> {
  const context = await browser.newContext({ storageState: storage });
  await context.addInitScript(FIRST_FRAME_PROBE);
  const page = await context.newPage();
  const sizes = collectJsSizes(page);
  await page.goto(url);
  await page.getByRole("button", { name: play }).filter({ visible: true }).first().click();
  await page.waitForFunction(
    () => (window as unknown as { __firstFrame: number | null }).__firstFrame !== null,
    null,
    { timeout: 60_000 },
  );
  const { ms, clickMs, loadMs } = await page.evaluate(() => {
    const w = window as unknown as { __firstFrame: number; __clickAt: number };
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return { ms: w.__firstFrame, clickMs: w.__clickAt, loadMs: nav.loadEventEnd };
  });
  await page.waitForLoadState("networkidle");
  const jsGzip = await sumOf(sizes);
  await context.close();
  return { ms, clickMs, loadMs, jsGzip };
}

/** Gzipped sizes of every JavaScript response the page receives (bodies read as they come). */
function collectJsSizes(page: import("@playwright/test").Page): Promise<number>[] {
  const sizes: Promise<number>[] = [];
  const seen = new Set<string>();
  page.on("response", (res) => {
    // Each script once: a repeated request for the same URL is one download.
    if (!/\.m?js(\?|$)/.test(new URL(res.url()).pathname) || seen.has(res.url())) return;
    seen.add(res.url());
    sizes.push(
      res.body().then(
        (b) => gzipSync(b).length,
        () => 0,
      ),
    );
  });
  return sizes;
}

async function sumOf(values: Promise<number>[]): Promise<number> {
  return (await Promise.all(values)).reduce((a, b) => a + b, 0);
}

async function contextState(browser: Browser, base: string, session: string, media: string) {
  const context = await browser.newContext();
  const host = new URL(base).hostname;
  const toCookies = (header: string, cookiePath: string) =>
    header.split("; ").map((pair) => {
      const at = pair.indexOf("=");
      return { name: pair.slice(0, at), value: pair.slice(at + 1), domain: host, path: cookiePath };
    });
  await context.addCookies([
    ...toCookies(session, "/"),
    ...(media ? toCookies(media, "/media/") : []),
  ]);
  const state = await context.storageState();
  await context.close();
  return state;
}

async function pageJsGzip(
  browser: Browser,
  storage: Awaited<ReturnType<typeof contextState>>,
  url: string,
): Promise<number> {
  const context = await browser.newContext({ storageState: storage });
  const page = await context.newPage();
  const sizes = collectJsSizes(page);
  await page.goto(url, { waitUntil: "networkidle" });
  const total = await sumOf(sizes);
  await context.close();
  return total;
}

async function benchBrowser(
  preview: Preview,
  session: string,
  media: string,
  videoId: string,
): Promise<void> {
  say("first frame and page weight...");
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const base = preview.base;
    // The bare pages are given the video's cookies; the watch page asks for its own, on
    // its start path (one request beside the video's record), as a member's page does.
    const storage = await contextState(browser, base, session, media);
    const watchStorage = await contextState(browser, base, session, "");
    writeBarePages();
    const src = encodeURIComponent(`/media/videos/${videoId}/hls/master.m3u8`);
    const pages = {
      watch: `${base}/watch?v=${videoId}`,
      bare: `${base}/bench/bare.html?src=${src}`,
      "bare-reelgate": `${base}/bench/bare-reelgate.html?src=${src}`,
    };
    const frames: Record<keyof typeof pages, number[]> = {
      watch: [],
      bare: [],
      "bare-reelgate": [],
    };
    // Where each run's time went: the load event and the Play click, per page.
    const phases: { page: string; loadMs: number; clickMs: number; frameMs: number }[] = [];
    let watchJs = 0;
    for (let i = 0; i < FRAME_RUNS; i += 1) {
      // Alternate, so drift in machine load hits every page alike.
      for (const [page, url] of Object.entries(pages) as [keyof typeof pages, string][]) {
        const run = await firstFrameMs(
          browser,
          page === "watch" ? watchStorage : storage,
          url,
          "Play",
        );
        frames[page].push(run.ms);
        if (page === "watch") watchJs = run.jsGzip;
        phases.push({ page, loadMs: run.loadMs, clickMs: run.clickMs, frameMs: run.ms });
      }
    }
    const { watch, bare, "bare-reelgate": bareOurs } = frames;
    rows.push({
      name: `first frame, watch page (median of ${FRAME_RUNS})`,
      value: `${fmt(median(watch))} ms`,
      baseline: `${fmt(median(bare))} ms bare hls.js page`,
      ratio: median(watch) / median(bare),
      target: "<= 1.25",
      command:
        "npm run bench (Chromium: navigation start -> first video frame, incl. the Play click)",
    });
    rows.push({
      name: "first frame, watch page vs a bare page on its own hls.js build",
      value: `${fmt(median(watch))} ms`,
      baseline: `${fmt(median(bareOurs))} ms bare page, Reelgate's hls.js`,
      ratio: median(watch) / median(bareOurs),
      target: "(context)",
      command: "npm run bench (same runs, a third page in the alternation)",
    });
    const landing = await pageJsGzip(browser, storage, `${base}/`);
    const catalog = await pageJsGzip(browser, storage, `${base}/videos`);
    rows.push({
      name: "gzipped JS: landing / catalog / watch (KB)",
      value: `${fmt(landing / 1024, 1)} / ${fmt(catalog / 1024, 1)} / ${fmt(watchJs / 1024, 1)}`,
      baseline: "watch page target 250 KB",
      ratio: watchJs / (250 * 1024),
      target: "<= 1.00 (watch)",
      command: "npm run bench (all .js responses while loading and playing, gzip -6)",
    });
    extra.firstFrame = { watchMs: watch, bareMs: bare, bareReelgateMs: bareOurs, phases };
    if (onlyFrame)
      console.table(
        phases.map((p) => ({
          ...p,
          loadMs: Math.round(p.loadMs),
          clickMs: Math.round(p.clickMs),
          frameMs: Math.round(p.frameMs),
        })),
      );
    extra.jsGzipBytes = { landing, catalog, watch: watchJs };
  } finally {
    await browser.close();
    rmSync(path.join(root, "out", "bench"), { recursive: true, force: true });
  }
}

// --- 6. the cost of logging ---------------------------------------------------------

/**
 * Issuance and segment GETs on the same data, with the preview restarted at each log
 * level in turn (warn, info, warn, info: drift over the run falls on both sides). At
 * info every request writes an access record in the edge and, for /api, one in the API
 * server too; at warn neither does. The log's growth is kept as proof that info logged.
 */
async function benchLogging(
  dataDir: string,
  member: string,
  media: string,
  segmentPath: string,
  videoId: string,
): Promise<void> {
  say("logging at info vs warn...");
  const levels = quick ? (["warn", "info"] as const) : (["warn", "info", "warn", "info"] as const);
  const runs = {
    warn: { issuance: [] as number[], segments: [] as number[], lines: 0 },
    info: { issuance: [] as number[], segments: [] as number[], lines: 0 },
  };
  const logFile = path.join(dataDir, "logs", "reelgate.log");
  for (const level of levels) {
    const preview = await startPreview(PORT, { dataDir, env: { LOG_LEVEL: level } });
    try {
      const linesBefore = readFileSync(logFile, "utf8").split("\n").length;
      // Playback issuance, as in its own row: the member's cookies for one video.
      const issuance = await cannon({
        url: `${preview.base}/api/signed-cookies`,
        method: "POST",
        headers: { cookie: member, "content-type": "application/json" },
        body: JSON.stringify({ videoId }),
      });
      const segments = await cannon({
        url: `${preview.base}${segmentPath}`,
        headers: { cookie: media },
      });
      for (const r of [issuance, segments]) {
        if (r.non2xx > 0 || r.errors > 0)
          throw new Error(`logging run had ${r.non2xx} non-2xx, ${r.errors} errors`);
      }
      runs[level].issuance.push(issuance.requests.average);
      runs[level].segments.push(segments.requests.average);
      runs[level].lines += readFileSync(logFile, "utf8").split("\n").length - linesBefore;
    } finally {
      await preview.stop();
    }
  }
  if (runs.info.lines < runs.info.issuance.length * 1000)
    throw new Error(`at info the preview logged only ${runs.info.lines} lines`);
  for (const [what, key] of [
    ["playback cookie issuance", "issuance"],
    ["signed segment GETs", "segments"],
  ] as const) {
    const on = median(runs.info[key]);
    const off = median(runs.warn[key]);
    rows.push({
      name: `${what}, logging at info (req/s)`,
      value: fmt(on),
      baseline: `${fmt(off)} with LOG_LEVEL=warn`,
      ratio: on / off,
      target: ">= 0.90",
      command: "npm run bench (autocannon, 8 connections; preview restarted per level)",
    });
  }
  extra.logging = runs;
}

// --- main ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  say(
    `${quick ? "quick" : "full"} run on ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "unknown CPU"}`,
  );
  // One DATA_DIR for the run: the signing rows restart the preview on it with other keys,
  // the logging rows with other log levels.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "reelgate-bench-"));
  try {
    if (!onlyFrame && !onlyLogging) {
      const signing = await benchSigning({ port: PORT, dataDir, quick, say });
      rows.push(...signing.rows);
      extra.signing = signing.details;
    }
    if (!onlySigning) {
      const logging = await benchPreview(dataDir);
      if (logging) await benchLogging(dataDir, ...logging);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  report(started);
}

/** The rows of one preview run; answers what the logging rows need, unless they are off. */
async function benchPreview(
  dataDir: string,
): Promise<[string, string, string, string] | undefined> {
  const preview = await startPreview(PORT, { dataDir });
  let logging: [string, string, string, string] | undefined;
  try {
    const session = await signIn(preview.base, preview.admin.email, preview.admin.password);
    const { videoId } = await benchTranscode(preview, session);
    // A member watches, as members do: held to the access rule and the stream limit. The
    // device cookie of their first issue goes with every later one, as in a browser.
    await createMember(preview.base, session, BENCH_MEMBER.email, BENCH_MEMBER.password);
    const signedIn = await signIn(preview.base, BENCH_MEMBER.email, BENCH_MEMBER.password);
    const first = await issueMediaCookies(preview.base, signedIn, videoId);
    const member = first.device ? `${signedIn}; ${first.device}` : signedIn;
    if (!onlyOne) await benchIssuance(preview, member, videoId);
    const media = await mediaCookies(preview.base, member, videoId);
    const variant = (
      await (
        await fetch(`${preview.base}/media/videos/${videoId}/hls/master.m3u8`, {
          headers: { cookie: media },
        })
      ).text()
    )
      .split("\n")
      .find((l) => l && !l.startsWith("#"))!;
    const variantPath = path.posix.join(`/media/videos/${videoId}/hls`, variant);
    const segment = (
      await (await fetch(`${preview.base}${variantPath}`, { headers: { cookie: media } })).text()
    )
      .split("\n")
      .find((l) => l && !l.startsWith("#"))!;
    const segmentPath = path.posix.join(path.posix.dirname(variantPath), segment);
    if (!onlyOne) await benchSegments(preview, media, segmentPath);
    if (!onlyLogging) await benchBrowser(preview, member, media, videoId);
    if (!onlyFrame) logging = [member, media, segmentPath, videoId];
  } finally {
    await preview.stop();
  }
  return logging;
}

function report(started: number): void {
  console.log("");
  console.log("| measure | value | baseline (same run) | ratio | target |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.value} | ${r.baseline} | ${r.ratio === null ? "" : r.ratio.toFixed(2)} | ${r.target} |`,
    );
  }
  console.log("");
  const results = {
    date: new Date().toISOString(),
    quick,
    machine: machine(),
    seconds: (Date.now() - started) / 1000,
    rows,
    details: extra,
  };
  const suffix = quick
    ? "-quick"
    : onlyFrame
      ? "-frame"
      : onlyLogging
        ? "-logging"
        : onlySigning
          ? "-signing"
          : "";
  const file = writeResults(results, suffix);
  say(`done in ${fmt(results.seconds)} s; results in ${file}`);
}

main().catch((err: unknown) => {
  console.error(
    `[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  process.exit(1);
});
