import { getSignedCookies, getSignedUrl } from "@aws-sdk/cloudfront-signer";
import { seededRandom } from "../support/seeded-random";
import {
  KEY_TYPES,
  HASH_ALGORITHMS,
  fromB64,
  signerKey,
  testKeyPair,
  toB64,
  type KeyType,
  type TestKeyPair,
} from "../support/cloudfront-keys";
import {
  cloudfrontGenerators,
  credsFromUrl,
  ipv4,
  nonCanonical,
  referenceMatch,
  type Creds,
} from "../support/cloudfront-generators";
import { describe, expect, it } from "vitest";
import {
  createVerifier,
  errorXml,
  type DenialReason,
  type MediaRequest,
  type Verdict,
} from "@/edge/cloudfront";

// Reproducible: the seed and the number of cases can be changed from the environment.
const SEED = Number(process.env.CF_SEED ?? 0x5eed_cf01);
const CASES = Number(process.env.CF_CASES ?? 1000);

const rng = seededRandom(SEED);
const { int, pick, chance } = rng;
const {
  alnum,
  randomRequestUrl,
  wildcardFor,
  buildPolicy,
  credsFromCookies,
  flipCharBit,
  flipByteBit,
  insertWhitespace,
} = cloudfrontGenerators(rng);

interface TrustedPair extends TestKeyPair {
  id: string;
  /** The signer's private key: one case in ten passes the PEM, the documented way. */
  signingKey: () => string;
}

function trusted(id: string, type: KeyType): TrustedPair {
  const pair = testKeyPair(type);
  return { id, ...pair, signingKey: () => signerKey(pair, chance(0.1)) };
}

// Two keys of each type in the group: a rotation within one type, or from one to the other.
const KEYS = [
  trusted("K2JCJMDEHXQW5F", "rsa"),
  trusted("K3ROTATIONKEY2", "rsa"),
  trusted("K4ECDSAP256KY1", "ecdsa"),
  trusted("K5ECDSAP256KY2", "ecdsa"),
];
// Real keys, just not in the trusted key group.
const OUTSIDERS: Record<KeyType, TrustedPair> = {
  rsa: trusted("OUTSIDER", "rsa"),
  ecdsa: trusted("OUTSIDER", "ecdsa"),
};
const TRUSTED = KEYS.map(({ id, publicKey }) => ({ id, publicKey }));

type Carrier = "cookie" | "url";
type Kind = "canned" | "custom-explicit" | "custom-params";

interface Case {
  index: number;
  kind: Kind;
  carrier: Carrier;
  algorithm: "SHA1" | "SHA256";
  key: TrustedPair;
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

function makeCase(index: number): Case {
  const { url: requestUrl, scheme, host, id } = randomRequestUrl();
  const kind = pick<Kind>(["canned", "custom-explicit", "custom-params"]);
  const carrier = pick<Carrier>(["cookie", "url"]);
  const algorithm = pick(HASH_ALGORITHMS);
  const key = pick(KEYS);
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

  // Another key of the group, of the same type and of the other one (a rotation's two keys).
  for (const sameType of [true, false]) {
    const other = pick(KEYS.filter((k) => k !== c.key && (k.type === c.key.type) === sameType));
    add(
      sameType ? "other-key-id-same-type" : "other-key-id-other-type",
      at({ ...creds, keyPairId: other.id }),
      "bad-signature",
    );
  }
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

  // Signed with a private key whose public half is not the named one, of either type.
  const outsiderSignature = (outsider: TrustedPair) =>
    creds.policy !== undefined
      ? signPolicy(
          fromB64(creds.policy).toString("utf8"),
          outsider.signingKey,
          c.key.id,
          c.algorithm,
        )
      : c.carrier === "cookie"
        ? getSignedCookies({
            url: c.requestUrl,
            keyPairId: c.key.id,
            privateKey: outsider.signingKey(),
            algorithm: c.algorithm,
            dateLessThan: new Date(c.dateLessThan * 1000),
          })["CloudFront-Signature"]
        : (credsFromUrl(
            getSignedUrl({
              url: c.requestUrl,
              keyPairId: c.key.id,
              privateKey: outsider.signingKey(),
              algorithm: c.algorithm,
              dateLessThan: new Date(c.dateLessThan * 1000),
            }),
          ).creds.signature as string);
  const otherType = KEY_TYPES.find((t) => t !== c.key.type) as KeyType;
  add(
    "other-private-key",
    at({ ...creds, signature: outsiderSignature(OUTSIDERS[c.key.type]) }),
    "bad-signature",
  );
  add(
    "other-type-private-key",
    at({ ...creds, signature: outsiderSignature(OUTSIDERS[otherType]) }),
    "bad-signature",
  );

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
      // fresh one (CPU-bound verifies, so not all of them).
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
        for (const name of [m.name, `${c.key.type} ${c.algorithm}`, `${c.key.type} ${m.name}`])
          counts.set(name, (counts.get(name) ?? 0) + 1);
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
      "other-type-private-key",
      "other-key-id-same-type",
      "other-key-id-other-type",
      "hash-algorithm-swapped",
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
    // ...for each key type with each hash, and the signature mutations for both key types.
    for (const type of KEY_TYPES) {
      for (const algorithm of HASH_ALGORITHMS) {
        const mutations = counts.get(`${type} ${algorithm}`) ?? 0;
        expect(mutations, `${type} ${algorithm}`).toBeGreaterThanOrEqual(CASES);
      }
      for (const name of [
        "signature-byte-bit-flip",
        "signature-non-canonical",
        "swapped-signature",
      ])
        expect(counts.get(`${type} ${name}`) ?? 0, `${type} ${name}`).toBeGreaterThanOrEqual(
          Math.floor(CASES / 50),
        );
    }
    // About 3 s alone; on a loaded 2-core machine, with other test files, it took 65 s.
  }, 180_000);
});
