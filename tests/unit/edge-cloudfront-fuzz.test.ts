import { getSignedCookies, getSignedUrl } from "@aws-sdk/cloudfront-signer";
import { seededRandom } from "../support/seeded-random";
import { HASH_ALGORITHMS, KEY_TYPES, signerKey, testKeyPair } from "../support/cloudfront-keys";
import { describe, expect, it } from "vitest";
import { createVerifier, errorXml, type MediaRequest, type Verdict } from "@/edge/cloudfront";

// Reproducible; FUZZ_CASES=200000 for a longer run, FUZZ_SEED to explore another stream.
const SEED = Number(process.env.FUZZ_SEED ?? 0xf0220001);
const CASES = Number(process.env.FUZZ_CASES ?? 10_000);

const { random, int, pick, chance } = seededRandom(SEED);

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~";
const NASTY = [..."\u0000\t\n\r \"'%&;=?#/\\+,_~-*{}[]:<>é\u2028\ud800\udc00\uffff"];
// One key of each type in the group; the fuzz names either (or neither).
const KEY_ID = "K2JCJMDEHXQW5F";
const EC_KEY_ID = "K4ECDSAP256KY1";
const KEYS = {
  rsa: { id: KEY_ID, ...testKeyPair("rsa") },
  ecdsa: { id: EC_KEY_ID, ...testKeyPair("ecdsa") },
};
const TRUSTED = Object.values(KEYS).map(({ id, publicKey }) => ({ id, publicKey }));
const NAMES = [
  "CloudFront-Key-Pair-Id",
  "CloudFront-Policy",
  "CloudFront-Expires",
  "CloudFront-Signature",
  "CloudFront-Hash-Algorithm",
] as const;
const PARAMS = ["Key-Pair-Id", "Policy", "Expires", "Signature", "Hash-Algorithm"] as const;

function randomString(maxLength: number): string {
  // Now and then a huge value (built by repetition: character by character is slow).
  const huge = chance(0.01);
  const length = huge ? 64 : int(0, maxLength);
  let out = "";
  for (let i = 0; i < length; i++) {
    out += chance(0.2) ? pick(NASTY) : String.fromCharCode(int(0, chance(0.9) ? 127 : 0xffff));
  }
  return huge ? out.repeat(int(200, 2000)) : out;
}

function randomB64(): string {
  const length = pick([int(0, 8), int(0, 400), 344, 344, 4 * int(1, 120)]);
  let out = "";
  for (let i = 0; i < length; i++) out += pick([...B64]);
  if (chance(0.5) && out.length > 2) out = out.slice(0, -int(1, 2)) + "_".repeat(int(1, 2));
  return out;
}

const toB64 = (text: string) =>
  Buffer.from(text)
    .toString("base64")
    .replaceAll("+", "-")
    .replaceAll("=", "_")
    .replaceAll("/", "~");

const VOCABULARY = ["Statement", "Resource", "Condition", "DateLessThan", "DateGreaterThan"].concat(
  ["IpAddress", "AWS:EpochTime", "AWS:SourceIp", "__proto__", "constructor", "x"],
);

function randomJson(depth: number): unknown {
  const r = random();
  if (depth > 4 || r < 0.3) {
    return pick<unknown>([
      int(-5, 2_000_000_000),
      random() * 1e10,
      -0,
      1e308,
      Number.MAX_SAFE_INTEGER + 2,
      true,
      null,
      randomString(20),
      "*",
      "0.0.0.0/0",
      `${int(0, 300)}.${int(0, 300)}.1.1/${int(-1, 40)}`,
    ]);
  }
  if (r < 0.55) return Array.from({ length: int(0, 3) }, () => randomJson(depth + 1));
  const entries = Array.from({ length: int(0, 4) }, () => [
    chance(0.8) ? pick(VOCABULARY) : randomString(6),
    randomJson(depth + 1),
  ]);
  return Object.fromEntries(entries);
}

/** A structurally plausible policy with random values, unsigned (a random signature). */
function nearPolicy(): string {
  const condition: Record<string, unknown> = {};
  if (chance(0.9)) condition.DateLessThan = { "AWS:EpochTime": randomJson(5) };
  if (chance(0.4)) condition.DateGreaterThan = { "AWS:EpochTime": int(0, 2e9) };
  if (chance(0.4)) condition.IpAddress = { "AWS:SourceIp": randomJson(5) };
  const statement = { Resource: chance(0.8) ? "*" : randomJson(5), Condition: condition };
  const statements = chance(0.8) ? [statement] : [statement, statement];
  const json = JSON.stringify({ Statement: statements });
  return chance(0.3) ? json.replace(/,/g, ", ") : json;
}

interface Valid {
  req: MediaRequest;
  via: "cookie" | "url";
  keyId: string;
}

// A pool of genuinely valid credentials, to mutate: every key type with every hash, as
// cookies (canned and custom) and as canned URLs.
const NOW = 1_800_000_000_000;
const POOL: Valid[] = Array.from({ length: 40 }, (_, i) => {
  const url = `https://media.example.com/media/videos/v${i}/hls/720p/seg_${i}.ts`;
  const key = KEYS[KEY_TYPES[Math.floor(i / 4) % 2]!];
  const algorithm = HASH_ALGORITHMS[Math.floor(i / 8) % 2]!;
  const dateLessThan = new Date(NOW + 3_600_000);
  const policy = JSON.stringify({
    Statement: [
      {
        Resource: `https://media.example.com/media/videos/v${i}/*`,
        Condition: { DateLessThan: { "AWS:EpochTime": NOW / 1000 + 3600 } },
      },
    ],
  });
  const common = { keyPairId: key.id, privateKey: signerKey(key), algorithm } as const;
  const input = i % 2 === 0 ? { ...common, dateLessThan } : { ...common, policy };
  if (i % 4 < 2) {
    const signed = getSignedCookies({ ...input, url }) as unknown as Record<string, unknown>;
    const cookies = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k, String(v)]));
    const req = { url, cookies, sourceIp: "192.0.2.1", now: NOW };
    return { via: "cookie", keyId: key.id, req };
  }
  // Canned URLs only: a custom wildcard policy could legitimately open a mutated path.
  const signedUrl = getSignedUrl({ ...common, dateLessThan, url });
  const req = { url: signedUrl, cookies: {}, sourceIp: "192.0.2.1", now: NOW };
  return { via: "url", keyId: key.id, req };
});

/** Changes `text` for sure: replace with a different character, insert, or delete. */
function mutateText(text: string): string {
  const i = int(0, text.length);
  const op = text.length === 0 ? 1 : int(0, 2);
  const ch = chance(0.7) ? pick([...B64]) : pick(NASTY);
  if (op === 0) {
    const at = Math.min(i, text.length - 1);
    const other = ch === text[at] ? (ch === "A" ? "B" : "A") : ch;
    return text.slice(0, at) + other + text.slice(at + 1);
  }
  if (op === 1) return text.slice(0, i) + ch + text.slice(i);
  const at = Math.min(i, text.length - 1);
  return text.slice(0, at) + text.slice(at + 1);
}

/** One to three edits that, together, do change `text` (an insert and a delete can cancel). */
function mutateSome(text: string): string {
  let out = text;
  for (let n = int(1, 3); n > 0 || out === text; n--) out = mutateText(out);
  return out;
}

function mutatedValid(): MediaRequest {
  const source = pick(POOL);
  // Another credential: every pool entry signs different bytes, so no two share a signature.
  const other = pick(POOL.filter((p) => p !== source));
  if (source.via === "cookie") {
    const cookies = { ...source.req.cookies } as Record<string, string | undefined>;
    const fields = ["CloudFront-Key-Pair-Id", "CloudFront-Signature"].concat(
      cookies["CloudFront-Policy"] !== undefined ? ["CloudFront-Policy"] : ["CloudFront-Expires"],
    );
    const field = pick(fields);
    const op = int(0, 5);
    if (op === 4) {
      // The other hash (SHA256 named or not), or a name CloudFront does not know.
      const named = cookies["CloudFront-Hash-Algorithm"];
      cookies["CloudFront-Hash-Algorithm"] =
        named === undefined ? "SHA256" : chance(0.3) ? mutateSome(named) : undefined;
    } else if (op === 5) {
      // The other key of the group, of the other type.
      cookies["CloudFront-Key-Pair-Id"] = source.keyId === KEY_ID ? EC_KEY_ID : KEY_ID;
    } else if (op === 0) cookies[field] = undefined;
    else if (op === 1 && field === "CloudFront-Signature") {
      cookies[field] = other.req.cookies[field] ?? mutateText(cookies[field] ?? "");
    } else {
      cookies[field] = mutateSome(cookies[field] ?? "");
    }
    return { ...source.req, cookies };
  }
  // Mutate only the signing part of the URL: its path is what the signature binds.
  const url = source.req.url;
  const q = url.indexOf("?");
  let tail = url.slice(q + 1);
  if (chance(0.2)) tail += `&${pick(PARAMS)}=${chance(0.5) ? randomB64() : KEY_ID}`;
  else tail = mutateSome(tail);
  return { ...source.req, url: `${url.slice(0, q + 1)}${tail}` };
}

function randomCookies(value: () => string): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const name of NAMES) if (chance(0.7)) cookies[name] = value();
  if (chance(0.7))
    cookies["CloudFront-Key-Pair-Id"] = chance(0.8) ? pick([KEY_ID, EC_KEY_ID]) : randomString(20);
  return cookies;
}

function randomUrl(params: () => string): string {
  const base = pick([
    "https://media.example.com/media/videos/a/hls/master.m3u8",
    "http://localhost:3000/media/x.ts?v=1",
    randomString(60),
    "",
  ]);
  if (chance(0.5)) return base;
  const query = Array.from({ length: int(1, 6) }, () => `${pick(PARAMS)}=${params()}`);
  if (chance(0.5)) query.push(`Key-Pair-Id=${pick([KEY_ID, EC_KEY_ID])}`);
  return `${base}${base.includes("?") ? "&" : "?"}${query.join("&")}`;
}

function randomRequest(): MediaRequest {
  const value = pick([
    () => randomString(400),
    randomB64,
    () => toB64(JSON.stringify(randomJson(0))),
    () => toB64(nearPolicy()),
    () => String(int(0, 2_000_000_000)),
  ]);
  const req: MediaRequest = {
    url: randomUrl(value),
    cookies: randomCookies(value),
    sourceIp: pick(["192.0.2.1", "::ffff:192.0.2.1", "::1", randomString(30), ""]),
    now: pick([NOW, Date.now(), NaN, Infinity, -1, 0, random() * 4e12]),
  };
  // Values a typed caller cannot send but a careless one might.
  if (chance(0.02)) return { ...req, cookies: { "CloudFront-Key-Pair-Id": 42 } as never };
  if (chance(0.02)) return { ...req, cookies: null as never, url: undefined as never };
  if (chance(0.01)) return null as never;
  return req;
}

const XML =
  /^<\?xml version="1\.0" encoding="UTF-8"\?><Error><Code>(AccessDenied|MissingKey|InvalidKey|MalformedPolicy|MalformedSignature)<\/Code><Message>[A-Za-z -]+<\/Message><\/Error>$/;

describe("CloudFront verifier fuzz", () => {
  it("accepts the valid pool it mutates", () => {
    const verify = createVerifier(TRUSTED);
    for (const valid of POOL) {
      expect(verify(valid.req)).toMatchObject({ ok: true, via: valid.via, keyId: valid.keyId });
    }
  });

  it(`never throws, never admits, always answers 403 with CloudFront's XML (${CASES} cases)`, () => {
    const verify = createVerifier(TRUSTED, { cacheSize: 256 });
    const problems: unknown[] = [];
    const reasons = new Map<string, number>();
    for (let i = 0; i < CASES; i++) {
      const req = chance(0.5) ? mutatedValid() : randomRequest();
      let verdict: Verdict;
      try {
        verdict = verify(req);
      } catch (error) {
        problems.push({ i, threw: String(error) });
        continue;
      }
      reasons.set(
        verdict.ok ? "ok" : verdict.reason,
        (reasons.get(verdict.ok ? "ok" : verdict.reason) ?? 0) + 1,
      );
      if (verdict.ok || verdict.status !== 403 || verdict.reason === "internal-error") {
        problems.push({ i, verdict, req });
        continue;
      }
      const body = errorXml(verdict);
      if (
        !XML.test(body) ||
        !body.includes(`<Code>${verdict.code}</Code><Message>${verdict.message}</Message>`)
      ) {
        problems.push({ i, body });
      }
    }
    expect(problems.slice(0, 3)).toEqual([]);
    // The inputs reached deep into the verifier, not only its first checks.
    for (const reason of [
      "bad-signature",
      "policy-not-json",
      "policy-structure",
      "signature-encoding",
      "missing-key-pair-id",
      "unknown-key",
      "bad-hash-algorithm",
    ]) {
      expect(reasons.get(reason) ?? 0, reason).toBeGreaterThan(CASES / 1000);
    }
  });
});
