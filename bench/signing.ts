/**
 * The signing rows of `npm run bench`: cookie issuance with one signature per request for
 * RSA-2048 + SHA-1 and for ECDSA P-256 + SHA-256 (each against its own raw sign rate, and
 * the one against the other), the Cookie header a segment request carries with each, and
 * the edge's signature check per key type.
 *
 * Two issuances are measured for one member: the catalog's cookies (no body: the session,
 * the member's groups, one signature), which the signature dominates, and a video's
 * playback cookies (`{videoId}`: also the video's access rule, the stream registry and the
 * access log), what every watch start and renewal costs, on a short video made once.
 *
 * Why each issuance row restarts the preview: the API server reads its key and hash once,
 * and issuance reuses the last signature while the policy stays the same (every request
 * in the same second), so a plain run signs about once a second whatever the key. These
 * rows start it with SIGNED_COOKIE_REUSE_SIGNATURE=0, check that requests really signed
 * (ECDSA signatures are randomized, so two issuances differ; the API server's CPU per
 * request shows the RSA signing), and say where the CPU went.
 */
import { createPrivateKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { getSignedCookies } from "@aws-sdk/cloudfront-signer";
import { createVerifier } from "../edge/cloudfront";
import { makeTestVideo } from "../tests/support/test-video";
import { uploadAndPublish } from "../tests/support/upload";
import {
  createMember,
  issueMediaCookies,
  previewPids,
  processUsage,
  signIn,
  startPreview,
  type Preview,
} from "../tests/support/preview";
import { fmt, machineBusySeconds, type Row } from "./report";

type KeyType = "rsa" | "ecdsa";

/** The two configurations compared: what Reelgate signed with before, and its default now. */
const SETUPS = {
  rsa: { label: "RSA-2048 + SHA-1", hash: "sha1", cfHash: "SHA1" },
  ecdsa: { label: "ECDSA P-256 + SHA-256", hash: "sha256", cfHash: "SHA256" },
} as const;

/** The member whose playback cookies are measured (not the main rows' bench member). */
const MEMBER = { email: "bench-signing@reelgate.test", password: "bench-signing-password-1" };

/** The video and the member of the issuance runs, made by the first run. */
interface Viewer {
  videoId: string;
  /** The device cookie of the member's first issue, sent with every later one. */
  device: string;
}

const POLICY = Buffer.from(
  '{"Statement":[{"Resource":"http://localhost/media/*","Condition":{"DateLessThan":{"AWS:EpochTime":1999999999}}}]}',
);

export interface SigningOptions {
  port: number;
  /** The DATA_DIR every preview of the run shares (the dev key, the admin, the session key). */
  dataDir: string;
  quick: boolean;
  say: (line: string) => void;
}

/** POST /api/signed-cookies under load, and where the CPU went. */
export interface IssuanceLoad {
  perSecond: number;
  p50ms: number;
  p99ms: number;
  requests: number;
  /** Non-2xx answers and connection errors. */
  errors: number;
  /** CPU milliseconds per request: the API server, the edge, the load generator. */
  cpuMsPerRequest: { api: number | null; edge: number | null; client: number };
  /** Cores the rest of the machine used meanwhile (other work on a shared machine). */
  otherCores: number | null;
}

/** What is issued: a member's catalog cookies (no body), or a video's playback cookies. */
type Kind = "catalog" | "playback";

/** One issuance run: a preview signing every request with one key type. */
interface IssuanceRun extends Record<Kind, IssuanceLoad> {
  type: KeyType;
  rawSignsPerSecond: number;
  /** The Cookie header of a segment request: the media cookies, and with the session cookie. */
  cookieBytes: number;
  cookieBytesWithSession: number;
}

/**
 * The RSA-2048 key of the "before" rows in `dataDir` (made on first use), as
 * `npm run keys -- --type rsa` would make it: the dev key is ECDSA now.
 */
export function benchRsaKeyFile(dataDir: string): string {
  const file = path.join(dataDir, "bench-rsa.pem");
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  }
  return file;
}

/** Raw signs per second on one core: `crypto.sign` in a loop with a parsed key. */
export function rawSignsPerSecond(keyFile: string, hash: "sha1" | "sha256", seconds: number) {
  const key = createPrivateKey(readFileSync(keyFile));
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    sign(hash, POLICY, key);
    n += 1;
  }
  return n / seconds;
}

function fromCloudFrontBase64(text: string): Buffer {
  return Buffer.from(text.replaceAll("-", "+").replaceAll("_", "=").replaceAll("~", "/"), "base64");
}

function cpuSeconds(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    return processUsage(pid).cpuSeconds;
  } catch {
    return null;
  }
}

/**
 * autocannon on POST /api/signed-cookies through the edge (8 connections, 10 s after an
 * uncounted 2 s warm-up; 2 s after 1 s with `quick`), with the CPU time each process of
 * the preview and the load generator spent on it, from /proc. With `videoId`, a video's
 * playback cookies; without, the catalog's.
 */
export async function measureIssuance(
  preview: Preview,
  cookie: string,
  quick: boolean,
  videoId?: string,
): Promise<IssuanceLoad> {
  const target = {
    url: `${preview.base}/api/signed-cookies`,
    method: "POST" as const,
    headers: videoId ? { cookie, "content-type": "application/json" } : { cookie },
    ...(videoId ? { body: JSON.stringify({ videoId }) } : {}),
    connections: 8,
  };
  // Uncounted warm-up: the servers' first requests run unoptimized code.
  await autocannon({ ...target, duration: quick ? 1 : 2 });
  const pids = previewPids(preview.dataDir);
  const before = {
    api: cpuSeconds(pids.api),
    edge: cpuSeconds(pids.edge),
    client: process.cpuUsage(),
    machine: machineBusySeconds(),
  };
  const seconds = quick ? 2 : 10;
  const result = await autocannon({ ...target, duration: seconds });
  const client = process.cpuUsage(before.client);
  const after = { api: cpuSeconds(pids.api), edge: cpuSeconds(pids.edge) };
  const machine = machineBusySeconds();

  const n = result.requests.total;
  const per = (a: number | null, b: number | null) =>
    a === null || b === null ? null : ((b - a) * 1000) / n;
  const clientSeconds = (client.user + client.system) / 1e6;
  const ours =
    (after.api ?? 0) - (before.api ?? 0) + (after.edge ?? 0) - (before.edge ?? 0) + clientSeconds;
  return {
    perSecond: result.requests.average,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    requests: n,
    errors: result.non2xx + result.errors,
    cpuMsPerRequest: {
      api: per(before.api, after.api),
      edge: per(before.edge, after.edge),
      client: (clientSeconds * 1000) / n,
    },
    otherCores:
      machine === null || before.machine === null
        ? null
        : Math.max(0, (machine - before.machine - ours) / seconds),
  };
}

const ms = (v: number | null) => (v === null ? "?" : fmt(v, 2));

/** "API 0.52 ms, edge 0.25 ms, client 0.10 ms CPU/req" for a table cell. */
export function cpuCell(cpu: IssuanceLoad["cpuMsPerRequest"]): string {
  return `API ${ms(cpu.api)} ms, edge ${ms(cpu.edge)} ms, client ${ms(cpu.client)} ms CPU/req`;
}

/** A short video, published, and a member to watch it: the first run's preview makes them. */
async function makeViewer(preview: Preview): Promise<Viewer> {
  const admin = await signIn(preview.base, preview.admin.email, preview.admin.password);
  const work = mkdtempSync(path.join(os.tmpdir(), "reelgate-bench-signing-"));
  try {
    const source = makeTestVideo(path.join(work, "source.mp4"), { seconds: 2, size: "320x180" });
    const { videoId } = await uploadAndPublish(preview.base, admin, source, "Signing bench");
    await createMember(preview.base, admin, MEMBER.email, MEMBER.password);
    const member = await signIn(preview.base, MEMBER.email, MEMBER.password);
    const { device } = await issueMediaCookies(preview.base, member, videoId);
    if (!device) throw new Error("the first playback issue set no device cookie");
    return { videoId, device };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function issuanceRun(
  opts: SigningOptions,
  type: KeyType,
  rsaKeyFile: string,
  viewer: { current?: Viewer },
): Promise<IssuanceRun> {
  const setup = SETUPS[type];
  const env: Record<string, string> = { SIGNED_COOKIE_REUSE_SIGNATURE: "0" };
  if (type === "rsa") {
    env.CLOUDFRONT_PRIVATE_KEY_FILE = rsaKeyFile;
    env.CLOUDFRONT_HASH_ALGORITHM = "SHA1";
  }
  const preview = await startPreview(opts.port, { dataDir: opts.dataDir, env });
  try {
    viewer.current ??= await makeViewer(preview);
    const { videoId, device } = viewer.current;
    // As a browser sends it: the session and the device cookie of the member's first issue
    // (without it, every request would count as a new device against the stream limit).
    const session = await signIn(preview.base, MEMBER.email, MEMBER.password);
    const member = `${session}; ${device}`;
    const issued = await checkSigning(preview, member, type, videoId);
    const keyFile = type === "rsa" ? rsaKeyFile : path.join(opts.dataDir, "keys", "private.pem");
    const rawSignsPerSecond_ = rawSignsPerSecond(keyFile, setup.hash, opts.quick ? 1 : 5);

    const catalog = await measureIssuance(preview, member, opts.quick);
    const playback = await measureIssuance(preview, member, opts.quick, videoId);
    for (const [kind, measured] of Object.entries({ catalog, playback })) {
      if (measured.errors > 0)
        throw new Error(`${setup.label} ${kind} issuance had ${measured.errors} non-2xx or errors`);
    }
    return {
      type,
      catalog,
      playback,
      rawSignsPerSecond: rawSignsPerSecond_,
      cookieBytes: Buffer.byteLength(issued.cookie),
      cookieBytesWithSession: Buffer.byteLength(`${member}; ${issued.cookie}`),
    };
  } finally {
    await preview.stop();
  }
}

/**
 * Two issuances, checked: the key type and the hash the preview really signs with, that
 * the edge lets a media object through with them, and (ECDSA) that the two carry
 * different signatures, so the run signs on every request.
 */
async function checkSigning(preview: Preview, member: string, type: KeyType, videoId: string) {
  const [first, second] = [
    await issueMediaCookies(preview.base, member, videoId),
    await issueMediaCookies(preview.base, member, videoId),
  ];
  const read = (cookie: string) =>
    Object.fromEntries(
      cookie.split("; ").map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]),
    );
  const a = read(first.cookie);
  const b = read(second.cookie);
  const signature = fromCloudFrontBase64(a["CloudFront-Signature"] ?? "");
  const hash = a["CloudFront-Hash-Algorithm"] ?? "SHA1";
  const ok =
    type === "rsa"
      ? signature.length === 256 && hash === "SHA1"
      : signature.length >= 70 && signature.length <= 72 && hash === "SHA256";
  if (!ok) throw new Error(`the preview did not sign ${SETUPS[type].label}: ${first.cookie}`);
  if (type === "ecdsa" && a["CloudFront-Signature"] === b["CloudFront-Signature"])
    throw new Error("two ECDSA issuances carry one signature: the preview reused it");
  const playlist = `${preview.base}/media/videos/${videoId}/hls/master.m3u8`;
  const probe = await fetch(playlist, { headers: { cookie: first.cookie } });
  await probe.body?.cancel();
  if (probe.status !== 200)
    throw new Error(`the edge answered ${probe.status} to ${SETUPS[type].label} cookies`);
  return first;
}

/** The edge's check without its cache (a new credential), against raw `crypto.verify`. */
function edgeCheckCost(type: KeyType, seconds: number) {
  const { publicKey, privateKey } =
    type === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ec", { namedCurve: "P-256" });
  const setup = SETUPS[type];
  const cookies = getSignedCookies({
    policy: POLICY.toString(),
    keyPairId: "K2BENCH",
    privateKey: privateKey as unknown as string,
    algorithm: setup.cfHash,
  }) as unknown as Record<string, string>;
  const check = createVerifier([{ id: "K2BENCH", publicKey }], { cacheSize: 0 });
  const req = {
    url: "http://localhost/media/videos/v/hls/720p/seg_1.m4s",
    cookies,
    sourceIp: "127.0.0.1",
    now: 1_900_000_000_000,
  };
  if (!check(req).ok) throw new Error(`the edge refused its own ${setup.label} cookies`);
  const signature = fromCloudFrontBase64(cookies["CloudFront-Signature"] ?? "");
  const loop = (fn: () => unknown) => {
    const end = performance.now() + seconds * 1000;
    let n = 0;
    while (performance.now() < end) {
      fn();
      n += 1;
    }
    return n / seconds;
  };
  const checks = loop(() => check(req));
  const raw = loop(() => verify(setup.hash, POLICY, publicKey, signature));
  return { checksPerSecond: checks, rawVerifiesPerSecond: raw };
}

/** Runs the signing rows; the previews it starts share `opts.dataDir`, and all are stopped. */
export async function benchSigning(
  opts: SigningOptions,
): Promise<{ rows: Row[]; details: object }> {
  opts.say("signing: issuance per key type, cookie bytes, the edge's check...");
  const rsaKeyFile = benchRsaKeyFile(opts.dataDir);
  const viewer: { current?: Viewer } = {};

  // ABBA in a full run, so that drift in the machine's load hits both key types alike.
  const order: KeyType[] = opts.quick ? ["rsa", "ecdsa"] : ["rsa", "ecdsa", "ecdsa", "rsa"];
  const runs: IssuanceRun[] = [];
  for (const type of order) {
    opts.say(`  issuance, ${SETUPS[type].label}, one signature per request...`);
    runs.push(await issuanceRun(opts, type, rsaKeyFile, viewer));
  }
  const mean = (type: KeyType, f: (r: IssuanceRun) => number) => {
    const of = runs.filter((r) => r.type === type);
    return of.reduce((a, r) => a + f(r), 0) / of.length;
  };
  const meanCpu = (type: KeyType, kind: Kind): IssuanceLoad["cpuMsPerRequest"] => {
    const cpu = runs.filter((r) => r.type === type).map((r) => r[kind].cpuMsPerRequest);
    const avg = (f: (c: (typeof cpu)[number]) => number | null) =>
      cpu.some((c) => f(c) === null) ? null : cpu.reduce((a, c) => a + f(c)!, 0) / cpu.length;
    return { api: avg((c) => c.api), edge: avg((c) => c.edge), client: avg((c) => c.client)! };
  };
  const rows: Row[] = [];
  const KINDS = {
    catalog: {
      what: "catalog cookie issuance",
      request: "POST /api/signed-cookies, no body",
      // The issue's goal, on the issuance the signature dominates.
      target: ">= 1.50",
    },
    playback: {
      what: "playback cookie issuance",
      request: 'POST /api/signed-cookies {"videoId"}',
      target: "(context: the video lookup, stream registry and access log cost more than RSA)",
    },
  } as const;
  for (const kind of ["catalog", "playback"] as const) {
    const { what, request, target } = KINDS[kind];
    const rate = {
      rsa: mean("rsa", (r) => r[kind].perSecond),
      ecdsa: mean("ecdsa", (r) => r[kind].perSecond),
    };
    for (const type of ["rsa", "ecdsa"] as const) {
      const raw = mean(type, (r) => r.rawSignsPerSecond);
      rows.push({
        name: `${what}, ${SETUPS[type].label}, one signature per request (req/s)`,
        value: `${fmt(rate[type])} (${cpuCell(meanCpu(type, kind))})`,
        baseline: `${fmt(raw)} raw ${type === "rsa" ? "RSA-SHA1" : "ECDSA-SHA256"} signs/s (1 core)`,
        ratio: rate[type] / raw,
        target: "(context)",
        command: `npm run bench (autocannon ${request}, a member, 8 connections, SIGNED_COOKIE_REUSE_SIGNATURE=0${type === "rsa" ? ", an RSA key, CLOUDFRONT_HASH_ALGORITHM=SHA1" : ", the ECDSA dev key"})`,
      });
    }
    rows.push({
      name: `${what}, ECDSA + SHA-256 vs RSA + SHA-1, one signature per request (req/s)`,
      value: fmt(rate.ecdsa),
      baseline: `${fmt(rate.rsa)} RSA + SHA-1`,
      ratio: rate.ecdsa / rate.rsa,
      target,
      command: `npm run bench (the two rows above; ${opts.quick ? "one run each" : "runs in the order RSA, ECDSA, ECDSA, RSA, averaged"})`,
    });
  }
  const bytes = {
    rsa: runs.find((r) => r.type === "rsa")!,
    ecdsa: runs.find((r) => r.type === "ecdsa")!,
  };
  rows.push({
    name: "Cookie header of a segment request (bytes): the video's CloudFront cookies (with the session and device cookies)",
    value: `${bytes.ecdsa.cookieBytes} (${bytes.ecdsa.cookieBytesWithSession}) ECDSA + SHA-256, 4 cookies`,
    baseline: `${bytes.rsa.cookieBytes} (${bytes.rsa.cookieBytesWithSession}) RSA + SHA-1, 3 cookies`,
    ratio: bytes.ecdsa.cookieBytes / bytes.rsa.cookieBytes,
    target: "(context)",
    command:
      "npm run bench (the playback cookies the issuance rows were issued, as a browser sends them to /media/videos/{id}/)",
  });
  const checks = {
    rsa: edgeCheckCost("rsa", opts.quick ? 0.5 : 3),
    ecdsa: edgeCheckCost("ecdsa", opts.quick ? 0.5 : 3),
  };
  for (const type of ["rsa", "ecdsa"] as const) {
    const c = checks[type];
    rows.push({
      name: `edge signature check, ${SETUPS[type].label}, cache off (checks/s)`,
      value: `${fmt(c.checksPerSecond)} (${fmt(1e6 / c.checksPerSecond)} µs each)`,
      baseline: `${fmt(c.rawVerifiesPerSecond)} raw crypto.verify/s (1 core)`,
      ratio: c.checksPerSecond / c.rawVerifiesPerSecond,
      target: "(context: a new credential; then a cache hit)",
      command:
        "npm run bench (createVerifier({cacheSize: 0}) on valid cookies, in the bench process)",
    });
  }
  return { rows, details: { issuanceRuns: runs, edgeChecks: checks } };
}
