/**
 * `npm run bench:viewers [-- --viewers 200 --seconds 60] [--quick]`: many members
 * watching one video at once through the preview edge, each the way a player does.
 *
 * Setup, not measured: a local preview with a throwaway DATA_DIR, one published test
 * video (1280x720, so a 360p/540p/720p ladder of 4 s segments) and N member accounts
 * made through the admin API.
 *
 * Then each viewer, arriving spread over the first `--ramp` seconds:
 *   1. signs in (NextAuth credentials; argon2, so it is timed apart from the media);
 *   2. POST /api/signed-cookies, renewed on the browser's schedule (lib/client/media-access);
 *   3. GETs the master playlist and one variant playlist (viewers spread over the renditions),
 *      then that rendition's fMP4 init segment;
 *   4. GETs the first BUFFER_SEGMENTS segments back to back, as a player fills its buffer,
 *      then one segment per segment duration, looping over the clip, until the end.
 *
 * Reports the requests, errors (any non-2xx or network error; the run exits 1 unless
 * there are none), segment latency (request start to last byte), bytes received, rebuffer
 * stalls, and the memory of the edge and API server processes at the end. Requests go
 * through Node's fetch (undici, keep-alive): one event loop of timers, cheap next to the
 * server on the same cores.
 *
 * Options: --viewers N (200), --seconds S (60), --ramp S (arrivals, min(10, S/4)),
 * --cookie-ttl S (SIGNED_COOKIE_TTL_SECONDS; the server's 10 minutes when unset), --quick
 * (10 viewers for 10 s, a 12 s source). BENCH_PORT (3138) is the edge's port.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect, parseArgs } from "node:util";
import { localExpiryMs, renewalDelayMs, RETRY_AFTER_FAILURE_MS } from "../lib/client/media-access";
import { parseMediaPlaylist } from "../lib/media/playlists";
import { makeTestVideo } from "../tests/support/test-video";
import {
  createMember,
  issueMediaCookies,
  previewPids,
  processUsage,
  signIn,
  startPreview,
  type Preview,
  type ProcessUsage,
} from "../tests/support/preview";
import { fmt, machine, machineBusySeconds, writeResults } from "./report";
import { uploadAndPublish } from "../tests/support/upload";

const { values: args } = parseArgs({
  options: {
    viewers: { type: "string" },
    seconds: { type: "string" },
    ramp: { type: "string" },
    "cookie-ttl": { type: "string" },
    quick: { type: "boolean", default: false },
  },
});

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

const quick = args.quick;
const VIEWERS = Math.round(positive("viewers", args.viewers, quick ? 10 : 200));
const SECONDS = positive("seconds", args.seconds, quick ? 10 : 60);
// Arrivals spread out, as sign-ins are argon2: 200 at once would be a sign-in benchmark.
const RAMP_SECONDS = positive("ramp", args.ramp, Math.min(10, SECONDS / 4));
// Unset, the server's default (an hour): no renewal within a short run. A short one
// (10 s or more) makes the viewers renew as browsers do, at 80% of the lifetime.
const COOKIE_TTL = args["cookie-ttl"];
const SOURCE = quick ? { seconds: 12, size: "1280x720" } : { seconds: 30, size: "1280x720" };
const PORT = Number(process.env.BENCH_PORT ?? 3138);
/** Segments fetched back to back before playback paces the rest. */
const BUFFER_SEGMENTS = 3;
const MEMBER_PASSWORD = "viewer-password-123";

const benchStart = Date.now();
const say = (line: string) =>
  console.log(`[bench:viewers] ${fmt((Date.now() - benchStart) / 1000, 1).padStart(5)} s  ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

// --- what the viewers count ---------------------------------------------------------

type Kind = "sign-in" | "cookies" | "playlist" | "segment";

const counts: Record<Kind, number> = { "sign-in": 0, cookies: 0, playlist: 0, segment: 0 };
const errors = new Map<string, number>();
const errorSamples: string[] = [];
/** Every segment that arrived whole: when it was asked for, and how long it took. */
const segments: { startedAt: number; ms: number; firstByteMs: number }[] = [];
const signInMs: number[] = [];
/** Every cookie issuance: when, how long, and whether it renewed cookies already held. */
const issuances: { startedAt: number; ms: number; renewal: boolean }[] = [];
let bytes = 0;
let segmentBytes = 0;
let renewals = 0;
let stalls = 0;
let stalledMs = 0;
let watching = 0;
/** When the last viewer to arrive started playing: sign-ins are over from then on. */
let allPlayingAt = 0;

function fail(kind: Kind, what: string, detail: string): void {
  const key = `${kind} ${what}`;
  errors.set(key, (errors.get(key) ?? 0) + 1);
  if (errorSamples.length < 20) errorSamples.push(`${key}: ${detail}`);
}

/** `fetch failed` says nothing; its cause (ECONNRESET, UND_ERR_SOCKET...) does. */
function networkCode(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

// --- one viewer ---------------------------------------------------------------------

interface Variant {
  uri: string;
  bandwidth: number;
}

interface Segment {
  uri: string;
  seconds: number;
}

/** The variant streams of a master playlist, lowest bandwidth first. */
function parseMaster(text: string): Variant[] {
  const lines = text.split("\n").map((l) => l.trim());
  const variants: Variant[] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith("#EXT-X-STREAM-INF:")) return;
    const uri = lines.slice(i + 1).find((l) => l && !l.startsWith("#"));
    const bandwidth = Number(/BANDWIDTH=(\d+)/.exec(line)?.[1] ?? 0);
    if (uri) variants.push({ uri, bandwidth });
  });
  return variants.sort((a, b) => a.bandwidth - b.bandwidth);
}

class Viewer {
  private session = "";
  private media = "";
  /** Local epoch ms at which the cookies held expire (the browser's own estimate). */
  private expiry = 0;
  private renewTimer: NodeJS.Timeout | undefined;
  /** The renewal in flight, which every request refused meanwhile waits for. */
  private renewing: Promise<boolean> | undefined;
  private left = false;

  constructor(
    private readonly base: string,
    private readonly index: number,
    private readonly videoId: string,
    private readonly masterPath: string,
    private readonly endAt: number,
  ) {}

  private get running(): boolean {
    return performance.now() < this.endAt;
  }

  async watch(arriveAt: number): Promise<void> {
    await sleep(arriveAt - performance.now());
    if (!this.running) return;
    if (!(await this.signIn())) return;
    try {
      if (!(await this.renew())) return;
      const master = await this.text(this.masterPath);
      const variants = master === null ? [] : parseMaster(master);
      if (variants.length === 0) return;
      const variantPath = path.posix.join(
        path.posix.dirname(this.masterPath),
        variants[this.index % variants.length]!.uri,
      );
      const playlist = await this.text(variantPath);
      if (playlist === null) return;
      const media = parseMediaPlaylist(playlist);
      if (media.segments.length === 0) return;
      const dir = path.posix.dirname(variantPath);
      // The fMP4 init segment, once, as a player loads it before the first fragment.
      if (media.map) await this.segment(path.posix.join(dir, media.map));
      await this.play(
        media.segments.map((s) => ({ uri: path.posix.join(dir, s.uri), seconds: s.duration })),
      );
    } finally {
      this.left = true;
      clearTimeout(this.renewTimer);
    }
  }

  private async signIn(): Promise<boolean> {
    const started = performance.now();
    counts["sign-in"] += 2; // the CSRF token, then the credentials callback
    try {
      this.session = await signIn(this.base, `viewer-${this.index}@reelgate.test`, MEMBER_PASSWORD);
      signInMs.push(performance.now() - started);
      return true;
    } catch (err) {
      fail("sign-in", "failed", networkCode(err));
      return false;
    }
  }

  /**
   * POST /api/signed-cookies `{videoId}`, then a timer for the next renewal at the
   * browser's schedule: 80% of the remaining lifetime or the server's heartbeat
   * (`renewAfterSeconds`), whichever is sooner, with jitter (renewalDelayMs), from the
   * server's Date header. The device cookie the first answer sets goes with every later
   * one, as a browser's does. A failed renewal is tried again as the browser does.
   */
  private renew(): Promise<boolean> {
    if (this.renewing) return this.renewing;
    clearTimeout(this.renewTimer);
    const started = performance.now();
    counts.cookies += 1;
    const attempt = issueMediaCookies(this.base, this.session, this.videoId)
      .then(
        (issued) => {
          issuances.push({
            startedAt: started,
            ms: performance.now() - started,
            renewal: this.media !== "",
          });
          this.media = issued.cookie;
          if (issued.device) this.session = `${this.session}; ${issued.device}`;
          this.expiry = localExpiryMs(issued.expiresAt, issued.serverDate, Date.now());
          this.schedule(
            renewalDelayMs(this.expiry, Date.now(), Math.random, issued.renewAfterSeconds * 1000),
          );
          return true;
        },
        (err: unknown) => {
          fail("cookies", "failed", networkCode(err));
          this.schedule(RETRY_AFTER_FAILURE_MS);
          return false;
        },
      )
      .finally(() => {
        this.renewing = undefined;
      });
    this.renewing = attempt;
    return attempt;
  }

  private schedule(delayMs: number): void {
    if (this.left || performance.now() + delayMs >= this.endAt) return;
    this.renewTimer = setTimeout(() => {
      renewals += 1;
      void this.renew();
    }, delayMs);
  }

  /** What a browser sends to /media/: the session cookie (Path=/) and the media cookies. */
  private get cookie(): string {
    return `${this.session}; ${this.media}`;
  }

  /** For an error report: how the cookies sent looked to this viewer when sent. */
  private cookieState(): string {
    const left = (this.expiry - Date.now()) / 1000;
    return `(cookies sent with ${fmt(left, 1)} s left by the browser's estimate${this.renewing ? ", a renewal in flight" : ""})`;
  }

  private async text(p: string): Promise<string | null> {
    counts.playlist += 1;
    const sent = this.cookieState();
    try {
      const res = await fetch(`${this.base}${p}`, { headers: { cookie: this.cookie } });
      const body = await res.text();
      bytes += Buffer.byteLength(body);
      if (res.ok) return body;
      fail("playlist", String(res.status), `${p} ${sent}: ${body.slice(0, 200)}`);
      if (res.status === 403) await this.renew();
    } catch (err) {
      fail("playlist", "network", networkCode(err));
    }
    return null;
  }

  /** One segment, read to the last byte; its time goes into the latency figures. */
  private async segment(p: string): Promise<void> {
    counts.segment += 1;
    const started = performance.now();
    const sent = this.cookieState();
    try {
      const res = await fetch(`${this.base}${p}`, { headers: { cookie: this.cookie } });
      const firstByte = performance.now() - started;
      let n = 0;
      if (res.body) {
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          n += value.byteLength;
        }
      }
      bytes += n;
      if (!res.ok) {
        fail("segment", String(res.status), `${p} ${sent}`);
        // The player's loader renews on a 403 (once for everyone waiting on it).
        if (res.status === 403) await this.renew();
        return;
      }
      segmentBytes += n;
      segments.push({
        startedAt: started,
        ms: performance.now() - started,
        firstByteMs: firstByte,
      });
    } catch (err) {
      fail("segment", "network", networkCode(err));
    }
  }

  /**
   * Buffer fill, then one segment per segment duration on a fixed clock (a late segment
   * makes the next one go at once, as a player behind its buffer target would). The
   * playhead starts with the first segment; a segment landing after the playhead has
   * reached the end of the buffer is a stall, and playback resumes when it lands.
   */
  private async play(segments: Segment[]): Promise<void> {
    watching += 1;
    allPlayingAt = Math.max(allPlayingAt, performance.now());
    let next = performance.now();
    let playStart: number | null = null;
    let buffered = 0; // seconds of media received
    let stalled = 0; // ms the playhead waited
    for (let k = 0; this.running; k += 1) {
      const seg = segments[k % segments.length]!;
      if (k >= BUFFER_SEGMENTS) {
        await sleep(Math.min(next, this.endAt) - performance.now());
        if (!this.running) break;
      }
      await this.segment(seg.uri);
      const now = performance.now();
      if (playStart === null) playStart = now;
      const dryAt = playStart + stalled + buffered * 1000;
      if (k > 0 && now > dryAt) {
        stalls += 1;
        stalled += now - dryAt;
      }
      buffered += seg.seconds;
      if (k >= BUFFER_SEGMENTS - 1) next += seg.seconds * 1000;
      else next = now;
    }
    stalledMs += stalled;
  }
}

// --- setup and report ---------------------------------------------------------------

/** Creates the members a few at a time: each one is an argon2 hash on the server. */
async function createMembers(preview: Preview, session: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < VIEWERS; i = next++) {
      await createMember(preview.base, session, `viewer-${i}@reelgate.test`, MEMBER_PASSWORD);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, VIEWERS) }, worker));
}

interface Watched {
  before: ProcessUsage;
  end: ProcessUsage;
  /** Highest RSS seen by the once-a-second sampler during the run. */
  peakRssBytes: number;
}

/**
 * Samples a process's RSS once a second while the viewers run. A process that is gone
 * or was restarted (another pid) is not this one: no "end" then, rather than a wrong one.
 */
function watchProcess(pid: () => number | null): { stop(): Watched | null } {
  const usage = (): ProcessUsage | null => {
    try {
      const current = pid();
      return current !== null && current === first ? processUsage(current) : null;
    } catch {
      return null; // pids.json or /proc/<pid> gone: the preview stopped
    }
  };
  let first: number | null = null;
  try {
    first = pid();
  } catch {
    // no pids.json: a preview that does not write one
  }
  const before = first === null ? null : usage();
  if (before === null) return { stop: () => null };
  let peak = before.rssBytes;
  const timer = setInterval(() => {
    peak = Math.max(peak, usage()?.rssBytes ?? 0);
  }, 1000);
  return {
    stop() {
      clearInterval(timer);
      const end = usage();
      return end && { before, end, peakRssBytes: Math.max(peak, end.rssBytes) };
    },
  };
}

function timeline(runStart: number): [number, number, number, number][] {
  const buckets = new Map<number, number[]>();
  for (const seg of segments) {
    const at = Math.floor((seg.startedAt - runStart) / 5000) * 5;
    const bucket = buckets.get(at) ?? [];
    bucket.push(seg.ms);
    buckets.set(at, bucket);
  }
  return [...buckets]
    .sort(([a], [b]) => a - b)
    .map(([at, ms]) => [
      at,
      ms.length,
      Math.round(percentile(ms, 0.5)),
      Math.round(percentile(ms, 0.99)),
    ]);
}

const mib = (n: number) => `${fmt(n / 1024 ** 2)} MiB`;

function memoryCell(w: Watched | null): string {
  if (!w) return "n/a (the process stopped or was restarted during the run)";
  return `${mib(w.end.rssBytes)} (run peak ${mib(w.peakRssBytes)}; ${mib(w.before.rssBytes)} before the viewers)`;
}

function cpuShare(w: Watched | null, seconds: number): number | null {
  if (!w || w.end.cpuSeconds === null || w.before.cpuSeconds === null) return null;
  return (w.end.cpuSeconds - w.before.cpuSeconds) / seconds;
}

async function main(): Promise<void> {
  const started = Date.now();
  say(
    `${VIEWERS} viewers for ${fmt(SECONDS)} s (arriving over ${fmt(RAMP_SECONDS, 1)} s) on ` +
      `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "unknown CPU"}`,
  );
  // Made before the preview starts: ffmpeg runs synchronously here, and a keep-alive
  // socket left idle across it would be reused after the server has closed it.
  const work = mkdtempSync(path.join(os.tmpdir(), "reelgate-viewers-src-"));
  const source = makeTestVideo(path.join(work, "source.mp4"), SOURCE);
  const preview = await startPreview(PORT, {
    env: COOKIE_TTL === undefined ? {} : { SIGNED_COOKIE_TTL_SECONDS: COOKIE_TTL },
  });
  let edge: Watched | null;
  let api: Watched | null;
  let runSeconds: number;
  let runStart = 0;
  let serverLines: string[] = [];
  let clientCpu: NodeJS.CpuUsage;
  let machineBusy: number | null = null;
  let videoId: string;
  try {
    const admin = await signIn(preview.base, preview.admin.email, preview.admin.password);
    say(`publishing a ${SOURCE.seconds} s ${SOURCE.size} test video...`);
    videoId = (await uploadAndPublish(preview.base, admin, source, "Viewers bench")).videoId;
    say(`creating ${VIEWERS} members...`);
    await createMembers(preview, admin);

    say("viewers arriving...");
    const edgeWatch = watchProcess(() => previewPids(preview.dataDir).edge);
    const apiWatch = watchProcess(() => previewPids(preview.dataDir).api);
    const cpuBefore = process.cpuUsage();
    const busyBefore = machineBusySeconds();
    runStart = performance.now();
    const endAt = runStart + SECONDS * 1000;
    const masterPath = `/media/videos/${videoId}/hls/master.m3u8`;
    await Promise.all(
      Array.from({ length: VIEWERS }, (_, i) =>
        new Viewer(preview.base, i, videoId, masterPath, endAt).watch(
          runStart + (i * RAMP_SECONDS * 1000) / VIEWERS,
        ),
      ),
    );
    runSeconds = (performance.now() - runStart) / 1000;
    clientCpu = process.cpuUsage(cpuBefore);
    const busyAfter = machineBusySeconds();
    if (busyBefore !== null && busyAfter !== null) machineBusy = busyAfter - busyBefore;
    edge = edgeWatch.stop();
    api = apiWatch.stop();
    // The edge logs why it refused a media request (expired, bad signature...).
    serverLines = preview
      .log()
      .split("\n")
      .filter((l) => /^\[edge\]|error|exited|shutting down/i.test(l))
      .slice(-20);
  } catch (err) {
    // The preview's own account of it: its stdout is not shown, its log is.
    say("the preview's log before the failure:");
    for (const line of preview.log().trimEnd().split("\n").slice(-30)) say(`  ${line}`);
    throw err;
  } finally {
    await preview.stop();
    rmSync(work, { recursive: true, force: true });
  }

  // Cores used on average during the run: ours, and whatever else ran on the machine
  // (on a shared machine that is what makes two runs differ).
  const share = {
    edge: cpuShare(edge, runSeconds),
    api: cpuShare(api, runSeconds),
    viewers: (clientCpu.user + clientCpu.system) / 1e6 / runSeconds,
    machine: machineBusy === null ? null : machineBusy / runSeconds,
  };
  // Counted by two clocks (the machine's and each process's), so clamped at zero.
  const others =
    share.machine === null
      ? null
      : Math.max(0, share.machine - (share.edge ?? 0) - (share.api ?? 0) - share.viewers);
  const requests = Object.values(counts).reduce((a, b) => a + b, 0);
  const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
  const all = segments.map((s) => s.ms);
  const firstIssued = issuances.filter((i) => !i.renewal).map((i) => i.ms);
  const renewed = issuances.filter((i) => i.renewal).map((i) => i.ms);
  const firstBytes = segments.map((s) => s.firstByteMs);
  const steady = segments.filter((s) => s.startedAt >= allPlayingAt).map((s) => s.ms);
  const allPlayingSeconds = (allPlayingAt - runStart) / 1000;
  const p50 = percentile(all, 0.5);
  const p99 = percentile(all, 0.99);
  const rows: [string, string][] = [
    [
      "viewers",
      `${fmt(VIEWERS)} (${fmt(watching)} played; arrivals over ${fmt(RAMP_SECONDS, 1)} s)`,
    ],
    ["seconds", `${fmt(SECONDS)} (last request done at ${fmt(runSeconds, 1)} s)`],
    [
      "total requests",
      `${fmt(requests)} (segments ${fmt(counts.segment)}, playlists ${fmt(counts.playlist)}, ` +
        `cookies ${fmt(counts.cookies)} incl. ${fmt(renewals)} renewals, sign-in ${fmt(counts["sign-in"])})`,
    ],
    [
      "errors",
      errorCount === 0
        ? "0"
        : `${fmt(errorCount)} (${[...errors].map(([k, n]) => `${k}: ${n}`).join(", ")})`,
    ],
    ["segment latency p50 / p99", `${fmt(p50, 1)} ms / ${fmt(p99, 1)} ms (to the last byte)`],
    [
      "the same once all play",
      `${fmt(percentile(steady, 0.5), 1)} ms / ${fmt(percentile(steady, 0.99), 1)} ms ` +
        `(${fmt(steady.length)} segments from ${fmt(allPlayingSeconds, 1)} s, when sign-ins were over)`,
    ],
    [
      "bytes served",
      `${mib(bytes)} (${fmt((segmentBytes * 8) / 1e6 / SECONDS, 1)} Mbit/s of segments)`,
    ],
    [
      "cookie renewals p50 (p99)",
      renewed.length === 0
        ? `none (the cookies outlast the run; --cookie-ttl to renew)`
        : `${fmt(percentile(renewed, 0.5))} (${fmt(percentile(renewed, 0.99))}) ms`,
    ],
    ["rebuffer stalls", `${fmt(stalls)} (${fmt(stalledMs / 1000, 1)} s in all)`],
    ["edge RSS at the end", memoryCell(edge)],
    ["API server RSS at the end", memoryCell(api)],
    [
      "CPU during the run (cores)",
      `edge ${fmt(share.edge ?? NaN, 2)}, API ${fmt(share.api ?? NaN, 2)}, viewers ${fmt(share.viewers, 2)}` +
        (others === null ? "" : `, everything else ${fmt(others, 2)}`) +
        ` (of ${os.cpus().length})`,
    ],
    [
      "sign-in / first cookies p50 (p99)",
      `${fmt(percentile(signInMs, 0.5))} (${fmt(percentile(signInMs, 0.99))}) ms / ` +
        `${fmt(percentile(firstIssued, 0.5))} (${fmt(percentile(firstIssued, 0.99))}) ms, not in segment latency`,
    ],
  ];
  console.log("");
  console.log("| measure | value |");
  console.log("| --- | --- |");
  for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
  console.log("");
  if (errorSamples.length > 0) {
    say("first errors:");
    for (const line of errorSamples) say(`  ${line}`);
    say("the preview's log about them:");
    for (const line of serverLines) say(`  ${line}`);
  }

  const results = {
    date: new Date().toISOString(),
    quick,
    machine: machine(),
    seconds: (Date.now() - started) / 1000,
    options: {
      viewers: VIEWERS,
      seconds: SECONDS,
      rampSeconds: RAMP_SECONDS,
      cookieTtlSeconds: COOKIE_TTL === undefined ? "server default" : Number(COOKIE_TTL),
      bufferSegments: BUFFER_SEGMENTS,
      source: SOURCE,
    },
    videoId,
    viewersPlayed: watching,
    runSeconds,
    requests: { total: requests, ...counts, renewals },
    errors: {
      total: errorCount,
      byKind: Object.fromEntries(errors),
      samples: errorSamples,
      serverLog: serverLines,
    },
    segmentLatencyMs: {
      count: all.length,
      p50,
      p90: percentile(all, 0.9),
      p99,
      max: percentile(all, 1),
      firstByteP50: percentile(firstBytes, 0.5),
      firstByteP99: percentile(firstBytes, 0.99),
      allPlayingAtSeconds: allPlayingSeconds,
      onceAllPlay: {
        count: steady.length,
        p50: percentile(steady, 0.5),
        p99: percentile(steady, 0.99),
      },
    },
    signInMs: { p50: percentile(signInMs, 0.5), p99: percentile(signInMs, 0.99) },
    cookieIssuanceMs: {
      first: { p50: percentile(firstIssued, 0.5), p99: percentile(firstIssued, 0.99) },
      renewal: {
        count: renewed.length,
        p50: percentile(renewed, 0.5),
        p99: percentile(renewed, 0.99),
        max: percentile(renewed, 1),
      },
      // Seconds into the run and milliseconds taken, to see them against the sign-ins.
      renewals: issuances
        .filter((i) => i.renewal)
        .map((i) => [Math.round((i.startedAt - runStart) / 100) / 10, Math.round(i.ms)]),
    },
    bytes: { total: bytes, segments: segmentBytes },
    // Per 5 s of the run, by when the segment was asked for: [second, count, p50, p99].
    segmentTimeline: timeline(runStart),
    stalls: { count: stalls, seconds: stalledMs / 1000 },
    processes: {
      edge: edge ? { ...edge, cpuShareDuringRun: share.edge } : null,
      api: api ? { ...api, cpuShareDuringRun: share.api } : null,
      client: { cpuShareDuringRun: share.viewers },
      everythingElse: { cpuShareDuringRun: others },
    },
  };
  const file = writeResults(results, quick ? "-viewers-quick" : "-viewers");
  say(`done in ${fmt(results.seconds)} s; results in ${file}`);
  if (errorCount > 0) {
    say(`FAILED: ${errorCount} errors (every request must succeed)`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  // fetch's own message is "fetch failed"; the cause says what failed (ECONNRESET...).
  const cause = (err as { cause?: unknown }).cause;
  console.error(
    `[bench:viewers] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` +
      (cause === undefined ? "" : `\n  cause: ${inspect(cause)}`),
  );
  process.exit(1);
});
