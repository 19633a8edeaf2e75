import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { getSignedCookies, getSignedUrl } from "@aws-sdk/cloudfront-signer";
import { seededRandom } from "../support/seeded-random";
import { describe, expect, it } from "vitest";
import {
  createVerifier,
  errorXml,
  parseCookieHeader,
  type DenialReason,
  type MediaRequest,
  type Verdict,
} from "@/edge/cloudfront";

// Reproducible: the seed and the number of cases can be changed from the environment.
const SEED = Number(process.env.CF_SEED ?? 0x5eed_cf01);
const CASES = Number(process.env.CF_CASES ?? 1000);

const { random, int, pick, chance } = seededRandom(SEED);
const alnum = (n: number) =>
  Array.from({ length: n }, () => pick([..."abcdefghijklmnopqrstuvwxyz0123456789"])).join("");

// The signer's types say PEM string or Buffer, but it hands the key to crypto's sign(), which
// takes a KeyObject too: parsing the PEM on every call would make signing 4x slower here.
// One case in ten still passes the PEM string, the documented way.
function rsaPair(): { publicKey: KeyObject; pem: string; signingKey: () => string } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return {
    publicKey,
    pem,
    signingKey: () => (chance(0.1) ? pem : (privateKey as unknown as string)),
  };
}

const KEY_A = { id: "K2JCJMDEHXQW5F", ...rsaPair() };
const KEY_B = { id: "K3ROTATIONKEY2", ...rsaPair() };
const OUTSIDER = rsaPair(); // a real key, just not in the trusted key group
const TRUSTED = [KEY_A, KEY_B].map(({ id, publicKey }) => ({ id, publicKey }));

// Independent of the verifier's matcher: a RegExp built from the pattern.
function referenceMatch(pattern: string, url: string): boolean {
  const source = [...pattern]
    .map((ch) =>
      ch === "*"
        ? "[\\s\\S]*"
        : ch === "?"
          ? "[\\s\\S]"
          : ch.replace(/[.+^${}()|[\]\\/-]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`).test(url);
}

const toB64 = (bytes: Buffer) =>
  bytes.toString("base64").replaceAll("+", "-").replaceAll("=", "_").replaceAll("/", "~");
const fromB64 = (text: string) =>
  Buffer.from(text.replaceAll("-", "+").replaceAll("_", "=").replaceAll("~", "/"), "base64");

const ipv4 = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");

/** The signing values of one credential, whichever carrier sends them. */
interface Creds {
  keyPairId?: string;
  expires?: string;
  policy?: string;
  signature?: string;
  hashAlgorithm?: string;
}

type Carrier = "cookie" | "url";
type Kind = "canned" | "custom-explicit" | "custom-params";

interface Case {
  index: number;
  kind: Kind;
  carrier: Carrier;
  algorithm: "SHA1" | "SHA256";
  key: typeof KEY_A;
  requestUrl: string;
  /** The custom policy's Resource (the request URL itself for canned and signer-built ones). */
  resource: string;
  policyJson?: string;
  dateLessThan: number;
  dateGreaterThan?: number;
  cidr?: { network: number; bits: number; text: string };
  nowMs: number;
  peer: string;
  creds: Creds;
  /** For signed URLs: the URL the signer appended its parameters to. */
  signedBase: string;
  signedUrl?: string;
}

const HOSTS = [
  "d111111abcdef8.cloudfront.net",
  "localhost:3000",
  "media.example.com",
  "127.0.0.1:3000",
];

function randomRequestUrl(): { url: string; scheme: string; host: string; id: string } {
  const scheme = pick(["https", "http"]);
  const host = pick(HOSTS);
  const id = alnum(int(6, 12));
  const path = pick([
    () => `/media/videos/${id}/hls/master.m3u8`,
    () => `/media/videos/${id}/hls/${pick(["360p", "540p", "720p"])}/index.m3u8`,
    () => `/media/videos/${id}/hls/${pick(["360p", "540p", "720p"])}/seg_${int(0, 999)}.ts`,
    () => `/media/videos/${id}/hls/${pick(["360p", "720p"])}/init_${int(0, 2)}.mp4`,
    () => `/media/videos/${id}/poster.jpg`,
  ])();
  const query = pick(["", "", "", `?v=${int(1, 9)}`, `?a=${alnum(3)}&b=${int(0, 99)}`]);
  return { url: `${scheme}://${host}${path}${query}`, scheme, host, id };
}

/** A Resource pattern that matches `url`: a template, or the URL with random wildcards. */
function wildcardFor(url: string, scheme: string, host: string, id: string): string {
  if (chance(0.4)) {
    return pick([
      `${scheme}://${host}/media/*`,
      `*://${host}/media/videos/${id}/*`,
      `${scheme}://*/media/videos/${id}/*`,
      `${scheme}://${host}/media/videos/${id}/hls/*`.replace("hls/*", "*"),
      "*",
      url,
    ]);
  }
  let pattern = "";
  for (let i = 0; i < url.length;) {
    const r = random();
    if (r < 0.06) {
      const eat = int(0, 12);
      pattern += "*";
      i += eat;
    } else if (r < 0.12) {
      pattern += "?";
      i += 1;
    } else {
      pattern += url[i];
      i += 1;
    }
  }
  return pattern.length > url.length + 20 ? url : pattern;
}

function buildPolicy(resource: string, dlt: number, dgt?: number, cidr?: string): string {
  const condition: Record<string, unknown> = { DateLessThan: { "AWS:EpochTime": dlt } };
  if (dgt !== undefined) condition.DateGreaterThan = { "AWS:EpochTime": dgt };
  if (cidr !== undefined) condition.IpAddress = { "AWS:SourceIp": cidr };
  // CloudFront accepts the conditions in any order; signers differ.
  const ordered = chance(0.3) ? Object.fromEntries(Object.entries(condition).reverse()) : condition;
  return JSON.stringify({ Statement: [{ Resource: resource, Condition: ordered }] });
}

/** Signs an arbitrary policy string as cookies (the signer does not parse it). */
function signPolicy(
  policy: string,
  pem: () => string,
  keyPairId: string,
  algorithm: "SHA1" | "SHA256",
) {
  const out = getSignedCookies({ policy, privateKey: pem(), keyPairId, algorithm });
  return out["CloudFront-Signature"];
}

function credsFromCookies(out: object): Creds {
  const header = Object.entries(out as Record<string, string | number | undefined>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .concat(chance(0.5) ? [`authjs.session-token=${alnum(40)}`] : [])
    .join("; ");
  const c = parseCookieHeader(header);
  return {
    keyPairId: c["CloudFront-Key-Pair-Id"],
    expires: c["CloudFront-Expires"],
    policy: c["CloudFront-Policy"],
    signature: c["CloudFront-Signature"],
    hashAlgorithm: c["CloudFront-Hash-Algorithm"],
  };
}

function credsFromUrl(signedUrl: string): { base: string; creds: Creds } {
  const at = Math.max(
    ...["?Expires=", "&Expires=", "?Policy=", "&Policy="].map((m) => signedUrl.lastIndexOf(m)),
  );
  const params = new Map(
    signedUrl
      .slice(at + 1)
      .split("&")
      .map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)] as const),
  );
  return {
    base: signedUrl.slice(0, at),
    creds: {
      expires: params.get("Expires"),
      policy: params.get("Policy"),
      keyPairId: params.get("Key-Pair-Id"),
      signature: params.get("Signature"),
      hashAlgorithm: params.get("Hash-Algorithm"),
    },
  };
}

function makeCase(index: number): Case {
  const { url: requestUrl, scheme, host, id } = randomRequestUrl();
  const kind = pick<Kind>(["canned", "custom-explicit", "custom-params"]);
  const carrier = pick<Carrier>(["cookie", "url"]);
  const algorithm = chance(0.3) ? "SHA256" : "SHA1";
  const key = chance(0.5) ? KEY_A : KEY_B;
  const nowSec = int(1_700_000_000, 1_950_000_000);
  const nowMs = nowSec * 1000 + int(0, 999);
  const dateLessThan = nowSec + int(1, 7 * 86_400);
  let dateGreaterThan: number | undefined;
  let cidr: Case["cidr"];
  const peerNumber = int(0, 0xffffffff) >>> 0;
  let peer = ipv4(peerNumber);
  if (kind !== "canned") {
    if (chance(0.5)) dateGreaterThan = nowSec - int(0, 86_400);
    if (chance(0.5)) {
      const bits = pick([0, 8, 12, 16, 20, 24, 24, 28, 30, 31, 32, 32]);
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      const network = (peerNumber & mask) >>> 0;
      cidr = { network, bits, text: `${ipv4(chance(0.7) ? network : peerNumber)}/${bits}` };
    }
    if (chance(0.4)) peer = `::ffff:${peer}`;
  }
  const resource =
    kind === "custom-explicit" ? wildcardFor(requestUrl, scheme, host, id) : requestUrl;
  const policyJson =
    kind === "custom-explicit"
      ? buildPolicy(resource, dateLessThan, dateGreaterThan, cidr?.text)
      : undefined;

  const common = { keyPairId: key.id, privateKey: key.signingKey(), algorithm } as const;
  const input = policyJson
    ? { ...common, policy: policyJson }
    : {
        ...common,
        dateLessThan: new Date(dateLessThan * 1000),
        ...(kind === "custom-params" && dateGreaterThan !== undefined
          ? { dateGreaterThan: new Date(dateGreaterThan * 1000) }
          : {}),
        ...(kind === "custom-params" && cidr ? { ipAddress: cidr.text } : {}),
      };
  const c: Case = {
    index,
    kind,
    carrier,
    algorithm,
    key,
    requestUrl,
    resource,
    policyJson,
    dateLessThan,
    dateGreaterThan: kind === "canned" ? undefined : dateGreaterThan,
    cidr: kind === "canned" ? undefined : cidr,
    nowMs,
    peer,
    creds: {},
    signedBase: requestUrl,
  };
  if (carrier === "cookie") {
    c.creds = credsFromCookies(getSignedCookies({ ...input, url: requestUrl }));
  } else {
    c.signedUrl = getSignedUrl({ ...input, url: requestUrl });
    const parsed = credsFromUrl(c.signedUrl);
    c.signedBase = parsed.base;
    c.creds = parsed.creds;
  }
  return c;
}

/** The request a viewer sends with `creds` for `url`, through the case's carrier. */
function render(
  c: Case,
  creds: Creds,
  url = c.signedBase,
): { url: string; cookies: Record<string, string> } {
  if (c.carrier === "cookie") {
    const cookies: Record<string, string> = {};
    if (creds.keyPairId !== undefined) cookies["CloudFront-Key-Pair-Id"] = creds.keyPairId;
    if (creds.expires !== undefined) cookies["CloudFront-Expires"] = creds.expires;
    if (creds.policy !== undefined) cookies["CloudFront-Policy"] = creds.policy;
    if (creds.signature !== undefined) cookies["CloudFront-Signature"] = creds.signature;
    if (creds.hashAlgorithm !== undefined)
      cookies["CloudFront-Hash-Algorithm"] = creds.hashAlgorithm;
    return { url, cookies };
  }
  const params = (
    [
      ["Expires", creds.expires],
      ["Policy", creds.policy],
      ["Key-Pair-Id", creds.keyPairId],
      ["Signature", creds.signature],
      ["Hash-Algorithm", creds.hashAlgorithm],
    ] as const
  )
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  return { url: `${url}${url.includes("?") ? "&" : "?"}${params}`, cookies: {} };
}

function flipCharBit(text: string): string {
  const i = int(0, text.length - 1);
  const flipped = String.fromCharCode(text.charCodeAt(i) ^ (1 << int(0, 6)));
  return text.slice(0, i) + flipped + text.slice(i + 1);
}

function flipByteBit(b64: string): string {
  const bytes = fromB64(b64);
  const i = int(0, bytes.length - 1);
  bytes[i] = (bytes[i] as number) ^ (1 << int(0, 7));
  return toB64(bytes);
}

const SAFE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~";

/** The same bytes spelled differently: flips an unused low bit of the last data character. */
function nonCanonical(b64: string): string {
  const i = b64.replace(/_+$/, "").length - 1;
  const value = SAFE_ALPHABET.indexOf(b64[i] as string);
  return b64.slice(0, i) + SAFE_ALPHABET[value ^ 1] + b64.slice(i + 1);
}

function insertWhitespace(json: string): string {
  // Only between tokens (outside strings), so the JSON stays valid and means the same.
  const spots: number[] = [];
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
    } else if ("{}[]:,".includes(ch as string)) {
      spots.push(i + 1);
    }
  }
  const at = pick(spots);
  return json.slice(0, at) + pick([" ", "\n", "\t", "\r\n", "  "]) + json.slice(at);
}

/** A URL the case's credentials must not open: another path, host or scheme. */
function otherUrl(c: Case): string | undefined {
  for (let attempt = 0; attempt < 8; attempt++) {
    const candidate = pick([
      () => randomRequestUrl().url,
      () => c.requestUrl.replace(/\/\/[^/]+/, "//evil.example.net"),
      () => c.requestUrl.replace(/^https?/, (s) => (s === "https" ? "http" : "https")),
      () => c.requestUrl.replace("/media/", "/private/"),
      () => `${c.requestUrl}x`,
    ])();
    const signedAlike = c.kind === "custom-explicit" ? c.resource : c.requestUrl;
    const matches =
      c.kind === "custom-explicit"
        ? referenceMatch(signedAlike, candidate)
        : candidate === c.requestUrl;
    if (!matches) return candidate;
  }
  return undefined; // e.g. Resource "*": no URL lies outside it
}

interface Mutation {
  name: string;
  req: MediaRequest;
  /** The reason the verifier must give, when only one is right. */
  reason?: DenialReason;
}

const MALFORMED: ReadonlyArray<{ name: string; reason: DenialReason; make: (c: Case) => string }> =
  [
    {
      name: "signed-malformed-json",
      reason: "policy-not-json",
      make: (c) =>
        pick([
          (p: string) => p.slice(0, -1),
          (p: string) => `${p.slice(0, -1)},}`,
          (p: string) => p.replace('"', "'"),
        ])(policyOf(c)),
    },
    {
      name: "signed-two-statements",
      reason: "policy-statement-count",
      make: (c) => {
        const doc = JSON.parse(policyOf(c)) as { Statement: unknown[] };
        return JSON.stringify({ Statement: [doc.Statement[0], doc.Statement[0]] });
      },
    },
    {
      name: "signed-no-statement",
      reason: "policy-statement-count",
      make: () => JSON.stringify({ Statement: [] }),
    },
    {
      name: "signed-missing-date-less-than",
      reason: "policy-missing-date-less-than",
      make: (c) => JSON.stringify({ Statement: [{ Resource: c.resource, Condition: {} }] }),
    },
    {
      name: "signed-fractional-epoch",
      reason: "policy-epoch",
      make: (c) => buildPolicy(c.resource, c.dateLessThan + 0.5),
    },
    {
      name: "signed-string-epoch",
      reason: "policy-epoch",
      make: (c) =>
        policyOf(c).replace(
          `"AWS:EpochTime":${c.dateLessThan}`,
          `"AWS:EpochTime":"${c.dateLessThan}"`,
        ),
    },
    {
      name: "signed-unknown-field",
      reason: "policy-unknown-field",
      make: (c) =>
        policyOf(c).replace('"Condition":{', '"Condition":{"StringLike":{"aws:Referer":"*"},'),
    },
  ];

/** The policy JSON a custom case signed (rebuilt for canned ones). */
function policyOf(c: Case): string {
  return c.policyJson ?? buildPolicy(c.resource, c.dateLessThan, c.dateGreaterThan, c.cidr?.text);
}

function mutationsOf(c: Case, previous: Case): Mutation[] {
  const base = { sourceIp: c.peer, now: c.nowMs };
  const at = (creds: Creds, extra: Partial<MediaRequest> = {}, url?: string): MediaRequest => ({
    ...render(c, creds, url),
    ...base,
    ...extra,
  });
  const { creds } = c;
  const list: Mutation[] = [];
  const add = (name: string, req: MediaRequest, reason?: DenialReason) =>
    list.push({ name, req, reason });

  // The policy as sent (custom) or the expiry it is rebuilt from (canned).
  if (creds.policy !== undefined) {
    add("policy-byte-bit-flip", at({ ...creds, policy: flipByteBit(creds.policy) }));
    add("policy-char-bit-flip", at({ ...creds, policy: flipCharBit(creds.policy) }));
    add(
      "policy-truncated",
      at({ ...creds, policy: creds.policy.slice(0, int(0, creds.policy.length - 1)) }),
    );
    const json = fromB64(creds.policy).toString("utf8");
    add(
      "whitespace-in-policy",
      at({ ...creds, policy: toB64(Buffer.from(insertWhitespace(json))) }),
      "bad-signature",
    );
    add("policy-dropped", at({ ...creds, policy: undefined }), "missing-policy");
  } else {
    const expires = creds.expires as string;
    add("expires-bit-flip", at({ ...creds, expires: flipCharBit(expires) }));
    add(
      "expires-truncated",
      at({ ...creds, expires: expires.slice(0, int(0, expires.length - 1)) }),
    );
    add(
      "expires-later",
      at({ ...creds, expires: String(Number(expires) + int(1, 10 ** 6)) }),
      "bad-signature",
    );
    add("whitespace-in-expires", at({ ...creds, expires: ` ${expires}` }), "bad-expires");
    add("expires-dropped", at({ ...creds, expires: undefined }), "missing-policy");
  }

  const signature = creds.signature as string;
  add(
    "signature-byte-bit-flip",
    at({ ...creds, signature: flipByteBit(signature) }),
    "bad-signature",
  );
  if (signature.endsWith("_")) {
    add(
      "signature-non-canonical",
      at({ ...creds, signature: nonCanonical(signature) }),
      "signature-encoding",
    );
  }
  add("signature-char-bit-flip", at({ ...creds, signature: flipCharBit(signature) }));
  add(
    "signature-truncated",
    at({ ...creds, signature: signature.slice(0, int(1, signature.length - 1)) }),
  );
  add("signature-dropped", at({ ...creds, signature: undefined }), "missing-signature");

  add(
    "other-trusted-key-id",
    at({ ...creds, keyPairId: c.key === KEY_A ? KEY_B.id : KEY_A.id }),
    "bad-signature",
  );
  add(
    "unknown-key-id",
    at({ ...creds, keyPairId: `APKA${alnum(10).toUpperCase()}` }),
    "unknown-key",
  );
  add("key-id-dropped", at({ ...creds, keyPairId: undefined }), "missing-key-pair-id");
  add(
    "hash-algorithm-swapped",
    at({ ...creds, hashAlgorithm: c.algorithm === "SHA1" ? "SHA256" : undefined }),
    "bad-signature",
  );

  // Signed with a private key whose public half is not the named one.
  const outsiderSignature =
    creds.policy !== undefined
      ? signPolicy(
          fromB64(creds.policy).toString("utf8"),
          OUTSIDER.signingKey,
          c.key.id,
          c.algorithm,
        )
      : c.carrier === "cookie"
        ? getSignedCookies({
            url: c.requestUrl,
            keyPairId: c.key.id,
            privateKey: OUTSIDER.signingKey(),
            algorithm: c.algorithm,
            dateLessThan: new Date(c.dateLessThan * 1000),
          })["CloudFront-Signature"]
        : (credsFromUrl(
            getSignedUrl({
              url: c.requestUrl,
              keyPairId: c.key.id,
              privateKey: OUTSIDER.signingKey(),
              algorithm: c.algorithm,
              dateLessThan: new Date(c.dateLessThan * 1000),
            }),
          ).creds.signature as string);
  add("other-private-key", at({ ...creds, signature: outsiderSignature }), "bad-signature");

  // Half of one credential with half of another.
  add("swapped-signature", at({ ...creds, signature: previous.creds.signature }), "bad-signature");
  add(
    "swapped-policy",
    at({
      ...creds,
      policy: previous.creds.policy,
      expires: previous.creds.policy ? undefined : previous.creds.expires,
    }),
  );

  const elsewhere = otherUrl(c);
  if (elsewhere !== undefined) {
    add(
      "other-resource",
      at(creds, {}, elsewhere),
      c.kind === "custom-explicit" || c.creds.policy ? "wrong-resource" : "bad-signature",
    );
  }
  add(
    "expired",
    at(creds, { now: c.dateLessThan * 1000 + pick([0, 1, int(0, 10 ** 7)]) }),
    "expired",
  );
  if (c.dateGreaterThan !== undefined) {
    add(
      "not-yet-valid",
      at(creds, { now: c.dateGreaterThan * 1000 - pick([1, int(1, 10 ** 7)]) }),
      "not-yet-valid",
    );
  }
  if (c.cidr !== undefined) {
    add(
      "ipv6-peer",
      at(creds, { sourceIp: `2001:db8::${int(1, 0xffff).toString(16)}` }),
      "wrong-address",
    );
    if (c.cidr.bits > 0) {
      const outside = (c.cidr.network ^ (1 << (32 - int(1, c.cidr.bits)))) >>> 0;
      add(
        "other-address",
        at(creds, { sourceIp: pick(["", "::ffff:"]) + ipv4(outside) }),
        "wrong-address",
      );
    }
  }

  const malformed = MALFORMED[c.index % MALFORMED.length] as (typeof MALFORMED)[number];
  const badPolicy = malformed.make(c);
  add(
    malformed.name,
    at({
      keyPairId: c.key.id,
      policy: toB64(Buffer.from(badPolicy)),
      signature: signPolicy(badPolicy, c.key.signingKey, c.key.id, c.algorithm),
      hashAlgorithm: c.algorithm === "SHA256" ? "SHA256" : undefined,
    }),
    malformed.reason,
  );
  return list;
}

describe("CloudFront verifier against @aws-sdk/cloudfront-signer", () => {
  it(`accepts what the signer signs and refuses every mutation (${CASES} cases, seed ${SEED})`, () => {
    const verify = createVerifier(TRUSTED);
    const fresh = createVerifier(TRUSTED, { cacheSize: 0 });
    const failures: unknown[] = [];
    const counts = new Map<string, number>();
    let differential = true;
    const check = (label: string, req: MediaRequest): Verdict => {
      const verdict = verify(req);
      // Every other case is also checked without a cache: a cached answer must equal a
      // fresh one (CPU-bound RSA verifies, so not all of them).
      if (!differential) return verdict;
      const uncached = fresh(req);
      if (JSON.stringify(verdict) !== JSON.stringify(uncached)) {
        failures.push({ label, cache: "differs from a fresh check", verdict, uncached });
      }
      return verdict;
    };

    const cases = Array.from({ length: CASES }, (_, i) => makeCase(i));
    for (const c of cases) {
      const req: MediaRequest = { ...render(c, c.creds), sourceIp: c.peer, now: c.nowMs };
      if (c.carrier === "url" && req.url !== c.signedUrl)
        failures.push({ c: c.index, render: req.url, signed: c.signedUrl });
      const granted = check(`case ${c.index}`, req);
      const custom =
        c.kind === "custom-explicit" || c.dateGreaterThan !== undefined || c.cidr !== undefined;
      const expected = {
        ok: true,
        via: c.carrier,
        policy: custom ? "custom" : "canned",
        keyId: c.key.id,
        expiresAt: c.dateLessThan * 1000,
      };
      if (JSON.stringify(granted) !== JSON.stringify(expected)) failures.push({ case: c, granted });
    }
    for (const c of cases) {
      const previous = cases[(c.index + CASES - 1) % CASES] as Case;
      differential = c.index % 2 === 0;
      for (const m of mutationsOf(c, previous)) {
        counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
        const verdict = check(`${c.index} ${m.name}`, m.req);
        const refused =
          !verdict.ok &&
          verdict.status === 403 &&
          (m.reason === undefined || verdict.reason === m.reason) &&
          errorXml(verdict).includes(`<Code>${verdict.code}</Code>`);
        if (!refused)
          failures.push({
            case: c.index,
            kind: c.kind,
            carrier: c.carrier,
            mutation: m.name,
            want: m.reason,
            verdict,
            req: m.req,
          });
      }
      // After all that, the cached credentials still open their own resource.
      const again = check(`again ${c.index}`, {
        ...render(c, c.creds),
        sourceIp: c.peer,
        now: c.nowMs,
      });
      if (!again.ok) failures.push({ case: c.index, again });
    }

    expect(failures.slice(0, 3)).toEqual([]);
    expect(failures.length).toBe(0);
    // Every kind of mutation actually ran, many times.
    for (const name of [
      "policy-byte-bit-flip",
      "expires-bit-flip",
      "whitespace-in-policy",
      "other-private-key",
      "other-resource",
      "expired",
      "not-yet-valid",
      "other-address",
      "signed-malformed-json",
      "signed-two-statements",
      "swapped-signature",
      "swapped-policy",
      "signature-non-canonical",
    ]) {
      expect(counts.get(name) ?? 0, name).toBeGreaterThanOrEqual(Math.floor(CASES / 50));
    }
  });
});
