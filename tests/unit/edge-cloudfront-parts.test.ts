import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { getSignedCookies, getSignedUrl } from "@aws-sdk/cloudfront-signer";
import { afterAll, describe, expect, it } from "vitest";
import {
  createVerifier,
  errorXml,
  loadTrustedKeys,
  parseCookieHeader,
  type MediaRequest,
} from "@/edge/cloudfront";
import { matchWildcard } from "@/edge/cloudfront/wildcard";
import { parseIpv4Cidr, peerIpv4, cidrContains } from "@/edge/cloudfront/source-ip";
import { decodeUrlSafeBase64 } from "@/edge/cloudfront/url-safe-base64";
import { seededRandom } from "../support/seeded-random";
import { SIGNING_COMBINATIONS, fromB64, testKeyPair } from "../support/cloudfront-keys";

const { random } = seededRandom(7);
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const KEY_ID = "K2JCJMDEHXQW5F";
const NOW = 1_800_000_000_000;
const URL_A = "https://media.example.com/media/videos/a/hls/720p/seg_1.ts";
const toB64 = (text: string) =>
  Buffer.from(text)
    .toString("base64")
    .replaceAll("+", "-")
    .replaceAll("=", "_")
    .replaceAll("/", "~");
const cookiesOf = (out: object) =>
  Object.fromEntries(Object.entries(out).map(([k, v]) => [k, String(v)]));

function policy(resource: string, condition: Record<string, unknown>): string {
  return JSON.stringify({ Statement: [{ Resource: resource, Condition: condition }] });
}
const until = (seconds: number) => ({ DateLessThan: { "AWS:EpochTime": seconds } });

describe("errorXml", () => {
  it.each([
    ["missing-key-pair-id", "MissingKey", "Missing Key-Pair-Id query parameter or cookie value"],
    ["unknown-key", "InvalidKey", "Unknown Key"],
    ["policy-not-json", "MalformedPolicy", "Malformed Policy"],
    ["signature-encoding", "MalformedSignature", "Could not unencode Signature"],
    ["expired", "AccessDenied", "Access denied"],
  ])("answers %s with CloudFront's %s body", (reason, code, message) => {
    const verify = createVerifier([{ id: KEY_ID, publicKey }]);
    const requests: Record<string, MediaRequest> = {
      "missing-key-pair-id": { url: URL_A, cookies: {}, sourceIp: "192.0.2.1" },
      "unknown-key": {
        url: URL_A,
        cookies: { "CloudFront-Key-Pair-Id": "APKANOPE" },
        sourceIp: "",
      },
      "policy-not-json": {
        url: URL_A,
        cookies: {
          "CloudFront-Key-Pair-Id": KEY_ID,
          "CloudFront-Policy": toB64("{nope"),
          "CloudFront-Signature": "AAAA",
        },
        sourceIp: "",
      },
      "signature-encoding": {
        url: `${URL_A}?Expires=1&Signature=a+b/&Key-Pair-Id=${KEY_ID}`,
        cookies: {},
        sourceIp: "",
      },
      expired: {
        url: URL_A,
        cookies: cookiesOf(
          getSignedCookies({
            url: URL_A,
            keyPairId: KEY_ID,
            privateKey: PEM,
            dateLessThan: new Date(NOW),
          }),
        ),
        sourceIp: "",
        now: NOW,
      },
    };
    const verdict = verify(requests[reason] as MediaRequest);
    expect(verdict).toMatchObject({ ok: false, status: 403, code, message, reason });
    expect(errorXml(verdict as never)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    );
  });
});

describe("parseCookieHeader", () => {
  it("splits pairs, trims, keeps values verbatim and lets the first of a repeated name win", () => {
    const c = parseCookieHeader(
      ' a=1; CloudFront-Policy=ab~c_ ;b="q"; a=2;junk; =x; __proto__=p; e=',
    );
    expect({ ...c }).toEqual({
      a: "1",
      "CloudFront-Policy": "ab~c_",
      b: '"q"',
      ["__proto__"]: "p",
      e: "",
    });
    expect(Object.getPrototypeOf(c)).toBeNull();
    expect({ ...parseCookieHeader(undefined) }).toEqual({});
    expect({ ...parseCookieHeader("") }).toEqual({});
  });
});

describe("Resource wildcards", () => {
  it.each([
    ["https://h/media/*", "https://h/media/", true],
    ["https://h/media/*", "https://h/media/a/b.ts?x=1", true],
    ["https://h/media/*", "https://h/medi/a", false],
    ["*://h/media/*.ts", "http://h/media/x/y.ts", true],
    ["*://h/media/*.ts", "http://h/media/x/y.tsx", false],
    ["https://h/seg_???.ts", "https://h/seg_001.ts", true],
    ["https://h/seg_???.ts", "https://h/seg_01.ts", false],
    ["https://h/seg_???.ts", "https://h/seg_0001.ts", false],
    ["https://*.example.com/*", "https://d1.example.com/a", true],
    ["https://*.example.com/*", "https://example.com/a", false],
    ["*", "", true],
    ["?", "", false],
    ["", "", true],
    ["a*b*c", "abc", true],
    ["a*b*c", "acb", false],
  ])("%s vs %s is %s", (pattern, url, expected) => {
    expect(matchWildcard(pattern, url)).toBe(expected);
  });

  it("stays fast on patterns that make a backtracking RegExp explode", () => {
    const started = performance.now();
    expect(matchWildcard("*a*a*a*a*a*a*b", "a".repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("agrees with a RegExp reference on 5,000 random patterns", () => {
    const alphabet = "ab/.*?";
    const draw = (n: number, chars: string) =>
      Array.from({ length: int(0, n) }, () => chars[int(0, chars.length - 1)]).join("");
    for (let i = 0; i < 5000; i++) {
      const pattern = draw(8, alphabet);
      const url = draw(10, "ab/.*?");
      const re = new RegExp(
        `^${[...pattern].map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : /\w/.test(ch) ? ch : `\\${ch}`)).join("")}$`,
        "s",
      );
      expect(matchWildcard(pattern, url), `${pattern} ${url}`).toBe(re.test(url));
    }
  });
});

describe("source addresses", () => {
  it("parses IPv4 CIDRs strictly", () => {
    expect(parseIpv4Cidr("192.0.2.0/24")).toEqual({ network: 0xc0000200, mask: 0xffffff00 });
    expect(parseIpv4Cidr("10.1.2.3/8")).toEqual({ network: 0x0a000000, mask: 0xff000000 });
    expect(parseIpv4Cidr("0.0.0.0/0")).toEqual({ network: 0, mask: 0 });
    for (const bad of [
      "192.0.2.1",
      "192.0.2.1/33",
      "192.0.2.1/-1",
      "256.0.0.1/8",
      "01.2.3.4/8",
      "::1/128",
      "1.2.3/8",
      "1.2.3.4/08",
      " 1.2.3.4/8",
    ]) {
      expect(parseIpv4Cidr(bad), bad).toBeUndefined();
    }
  });

  it("normalizes IPv4-mapped peers and refuses everything else", () => {
    expect(peerIpv4("203.0.113.9")).toBe(0xcb007109);
    expect(peerIpv4("::ffff:203.0.113.9")).toBe(0xcb007109);
    expect(peerIpv4("::FFFF:203.0.113.9")).toBe(0xcb007109);
    for (const other of ["::1", "2001:db8::1", "", "203.0.113", "::ffff:2001:db8::1", "x"]) {
      expect(peerIpv4(other), other).toBeUndefined();
    }
  });

  it("contains exactly the addresses of the network", () => {
    for (let i = 0; i < 2000; i++) {
      const bits = int(0, 32);
      const address = int(0, 0xffffffff) >>> 0;
      const text = `${[24, 16, 8, 0].map((s) => (address >>> s) & 255).join(".")}/${bits}`;
      const cidr = parseIpv4Cidr(text);
      if (!cidr) throw new Error(text);
      const probe = int(0, 0xffffffff) >>> 0;
      const samePrefix = bits === 0 || address >>> (32 - bits) === probe >>> (32 - bits);
      expect(cidrContains(cidr, probe)).toBe(samePrefix);
      expect(cidrContains(cidr, address)).toBe(true);
    }
  });
});

describe("URL-safe base64", () => {
  it("round-trips random bytes and refuses non-canonical spellings", () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: int(1, 300) }, () => int(0, 255)));
      const text = toB64(bytes.toString("latin1")).length ? bytes.toString("base64") : "";
      const safe = text.replaceAll("+", "-").replaceAll("=", "_").replaceAll("/", "~");
      expect(decodeUrlSafeBase64(safe, 1000)?.equals(bytes)).toBe(true);
      if (text.includes("+") || text.includes("/") || text.includes("=")) {
        expect(decodeUrlSafeBase64(text, 1000)).toBeUndefined();
      }
    }
    // "QQ==" is "A"; "QR==" decodes to "A" too with a lenient decoder.
    expect(decodeUrlSafeBase64("QQ__", 10)?.toString()).toBe("A");
    expect(decodeUrlSafeBase64("QR__", 10)).toBeUndefined();
    expect(decodeUrlSafeBase64("QQ", 10)).toBeUndefined();
    expect(decodeUrlSafeBase64("", 10)).toBeUndefined();
    expect(decodeUrlSafeBase64("QUFB", 3)).toBeUndefined();
  });
});

describe.each(SIGNING_COMBINATIONS)(
  "verifier semantics, $type with $algorithm",
  ({ type, algorithm }) => {
    // A key of this type signs everything below, hashed with this algorithm.
    const pair = testKeyPair(type);
    const { publicKey } = pair;
    const PEM = pair.pem;
    const verify = createVerifier([{ id: KEY_ID, publicKey }]);
    const sec = NOW / 1000;

    it("verifies the hash the CloudFront-Hash-Algorithm cookie names, SHA-1 without it", () => {
      const p = policy("https://media.example.com/media/*", until(sec + 60));
      const signed = getSignedCookies({ policy: p, keyPairId: KEY_ID, privateKey: PEM, algorithm });
      const cookies = cookiesOf(signed);
      expect(cookies["CloudFront-Hash-Algorithm"]).toBe(
        algorithm === "SHA256" ? "SHA256" : undefined,
      );
      // A signature of this key type: 256 bytes for RSA-2048, 70 to 72 of DER for ECDSA P-256.
      const bytes = fromB64(cookies["CloudFront-Signature"]!);
      if (type === "rsa") expect(bytes.length).toBe(256);
      else expect([70, 71, 72]).toContain(bytes.length);
      const req = { url: URL_A, cookies, sourceIp: "192.0.2.1", now: NOW };
      expect(verify(req)).toMatchObject({ ok: true, policy: "custom" });
      const { "CloudFront-Hash-Algorithm": _named, ...unnamed } = cookies;
      const other =
        algorithm === "SHA256" ? unnamed : { ...cookies, "CloudFront-Hash-Algorithm": "SHA256" };
      expect(verify({ ...req, cookies: other })).toMatchObject({
        ok: false,
        reason: "bad-signature",
      });
      for (const bad of ["sha256", "SHA-256", "SHA384", "MD5", ""]) {
        expect(
          verify({ ...req, cookies: { ...cookies, "CloudFront-Hash-Algorithm": bad } }),
          bad,
        ).toMatchObject({
          ok: false,
          reason: "bad-hash-algorithm",
        });
      }
    });

    it("checks DateLessThan and DateGreaterThan to the millisecond", () => {
      const p = policy(URL_A, { ...until(sec + 10), DateGreaterThan: { "AWS:EpochTime": sec } });
      const cookies = cookiesOf(
        getSignedCookies({ policy: p, keyPairId: KEY_ID, privateKey: PEM, algorithm }),
      );
      const at = (now: number) => verify({ url: URL_A, cookies, sourceIp: "192.0.2.1", now });
      expect(at(NOW - 1)).toMatchObject({ ok: false, reason: "not-yet-valid" });
      expect(at(NOW)).toMatchObject({ ok: true, expiresAt: NOW + 10_000 });
      expect(at(NOW + 9_999)).toMatchObject({ ok: true });
      expect(at(NOW + 10_000)).toMatchObject({ ok: false, reason: "expired" });
      expect(at(Number.NaN)).toMatchObject({ ok: false });
    });

    it("lets a signed URL win over cookies, even when the URL fails", () => {
      const cookies = cookiesOf(
        getSignedCookies({
          url: URL_A,
          keyPairId: KEY_ID,
          privateKey: PEM,
          algorithm,
          dateLessThan: new Date(NOW + 60_000),
        }),
      );
      const signedUrl = getSignedUrl({
        url: URL_A,
        keyPairId: KEY_ID,
        privateKey: PEM,
        algorithm,
        dateLessThan: new Date(NOW + 60_000),
      });
      const base = { sourceIp: "192.0.2.1", now: NOW };
      expect(verify({ ...base, url: URL_A, cookies })).toMatchObject({ ok: true, via: "cookie" });
      const junk = { "CloudFront-Key-Pair-Id": "nope", "CloudFront-Signature": "x" };
      expect(verify({ ...base, url: signedUrl, cookies: junk })).toMatchObject({
        ok: true,
        via: "url",
      });
      const broken = signedUrl.replace(/Signature=./, (s) =>
        s.endsWith("A") ? "Signature=B" : "Signature=A",
      );
      expect(verify({ ...base, url: broken, cookies })).toMatchObject({
        ok: false,
        reason: "bad-signature",
      });
      const keyOnly = `${URL_A}?Key-Pair-Id=${KEY_ID}`;
      expect(verify({ ...base, url: keyOnly, cookies })).toMatchObject({
        ok: false,
        reason: "missing-signature",
      });
    });

    it("strips only the signing parameters and keeps the rest of the query in place", () => {
      const url = `${URL_A}?a=1&b=two`;
      const signedUrl = getSignedUrl({
        url,
        keyPairId: KEY_ID,
        privateKey: PEM,
        algorithm,
        dateLessThan: new Date(NOW + 60_000),
      });
      const base = { cookies: {}, sourceIp: "192.0.2.1", now: NOW };
      expect(verify({ ...base, url: signedUrl })).toMatchObject({ ok: true, via: "url" });
      expect(verify({ ...base, url: signedUrl.replace("a=1&b=two", "b=two&a=1") })).toMatchObject({
        ok: false,
        reason: "bad-signature",
      });
      expect(verify({ ...base, url: `${signedUrl}&c=3` })).toMatchObject({
        ok: false,
        reason: "bad-signature",
      });
      expect(
        verify({ ...base, url: signedUrl.replace("Signature=", "Signature=%41") }),
      ).toMatchObject({ ok: false });
      // Percent-encoding a value the viewer need not encode changes nothing.
      expect(
        verify({ ...base, url: signedUrl.replace("Key-Pair-Id=K", "Key-Pair-Id=%4B") }),
      ).toMatchObject({ ok: true });
      expect(verify({ ...base, url: `${signedUrl}&Key-Pair-Id=${KEY_ID}` })).toMatchObject({
        ok: false,
        reason: "duplicate-parameter",
      });
      // An unknown hash is refused; the other hash does not verify.
      const named = algorithm === "SHA256";
      expect(named).toBe(signedUrl.endsWith("&Hash-Algorithm=SHA256"));
      const md5 = named ? signedUrl.replace("SHA256", "MD5") : `${signedUrl}&Hash-Algorithm=MD5`;
      expect(verify({ ...base, url: md5 })).toMatchObject({
        ok: false,
        reason: "bad-hash-algorithm",
      });
      const other = named
        ? signedUrl.replace("&Hash-Algorithm=SHA256", "")
        : `${signedUrl}&Hash-Algorithm=SHA256`;
      expect(verify({ ...base, url: other })).toMatchObject({ ok: false, reason: "bad-signature" });
      expect(verify({ ...base, url: `${signedUrl}&Hash-Algorithm=SHA1` })).toMatchObject({
        ok: named ? false : true,
      });
    });

    it("verifies a custom policy over its bytes as sent, whitespace included", () => {
      const pretty = JSON.stringify(
        JSON.parse(policy("https://media.example.com/media/*", until(sec + 60))),
        null,
        2,
      );
      const cookies = cookiesOf(
        getSignedCookies({ policy: pretty, keyPairId: KEY_ID, privateKey: PEM, algorithm }),
      );
      const req = { url: URL_A, cookies, sourceIp: "192.0.2.1", now: NOW };
      expect(verify(req)).toMatchObject({ ok: true, policy: "custom" });
      const compact = toB64(JSON.stringify(JSON.parse(pretty)));
      expect(
        verify({ ...req, cookies: { ...cookies, "CloudFront-Policy": compact } }),
      ).toMatchObject({ ok: false, reason: "bad-signature" });
    });

    it("prefers the custom policy when both Policy and Expires arrive", () => {
      const p = policy("https://media.example.com/media/*", until(sec + 60));
      const cookies = cookiesOf(
        getSignedCookies({ policy: p, keyPairId: KEY_ID, privateKey: PEM, algorithm }),
      );
      const req = {
        url: URL_A,
        cookies: { ...cookies, "CloudFront-Expires": String(sec + 9999) },
        sourceIp: "",
        now: NOW,
      };
      expect(verify(req)).toMatchObject({ ok: true, policy: "custom", expiresAt: NOW + 60_000 });
    });

    it("refuses a policy without Resource or with an IPv6 range, even when signed", () => {
      for (const [p, reason] of [
        [JSON.stringify({ Statement: [{ Condition: until(sec + 60) }] }), "policy-resource"],
        [
          policy("*", { ...until(sec + 60), IpAddress: { "AWS:SourceIp": "2001:db8::/32" } }),
          "policy-ip-address",
        ],
        [policy("*", { ...until(-1) }), "policy-epoch"],
        [
          JSON.stringify({
            Statement: [{ Resource: "*", Condition: until(sec + 60) }],
            Version: "1",
          }),
          "policy-unknown-field",
        ],
        ["[]", "policy-structure"],
      ] as const) {
        const cookies = cookiesOf(
          getSignedCookies({ policy: p, keyPairId: KEY_ID, privateKey: PEM, algorithm }),
        );
        expect(verify({ url: URL_A, cookies, sourceIp: "", now: NOW }), p).toMatchObject({
          ok: false,
          code: "MalformedPolicy",
          reason,
        });
      }
    });

    it("keeps evaluating conditions on cache hits, whatever the cache size", () => {
      for (const cacheSize of [0, 1, 3, 10_000]) {
        const v = createVerifier([{ id: KEY_ID, publicKey }], { cacheSize });
        const p = policy("https://media.example.com/media/*", {
          ...until(sec + 60),
          IpAddress: { "AWS:SourceIp": "192.0.2.0/24" },
        });
        const cookies = cookiesOf(
          getSignedCookies({ policy: p, keyPairId: KEY_ID, privateKey: PEM, algorithm }),
        );
        const ok = { url: URL_A, cookies, sourceIp: "192.0.2.7", now: NOW };
        for (let round = 0; round < 3; round++) {
          expect(v(ok)).toMatchObject({ ok: true });
          expect(v({ ...ok, now: NOW + 60_000 })).toMatchObject({ reason: "expired" });
          expect(v({ ...ok, sourceIp: "198.51.100.7" })).toMatchObject({ reason: "wrong-address" });
          expect(v({ ...ok, url: "https://other.example.com/media/a.ts" })).toMatchObject({
            reason: "wrong-resource",
          });
          expect(
            v({ ...ok, cookies: { ...cookies, "CloudFront-Key-Pair-Id": "K2" } }),
          ).toMatchObject({ reason: "unknown-key" });
        }
      }
    });
  },
);

describe("trusted keys", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cf-keys-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, key: KeyObject) => {
    const file = path.join(dir, name);
    writeFileSync(
      file,
      key.export({ type: key.type === "private" ? "pkcs8" : "spki", format: "pem" }),
    );
    return file;
  };

  it("loads RSA-2048 and ECDSA P-256 keys, public or private PEM, by ID and rejects bad specs", () => {
    const second = testKeyPair("rsa");
    const ec = testKeyPair("ecdsa");
    writeFileSync(path.join(dir, "a.pem"), PEM);
    write("b.pub.pem", second.publicKey);
    write("ec.pem", ec.publicKey);
    write("ec.key.pem", ec.privateKey);
    const keys = loadTrustedKeys(` ${KEY_ID}=${dir}/a.pem , K2=${dir}/b.pub.pem,K3=${dir}/ec.pem`);
    expect(keys.map((k) => [k.id, k.publicKey.type, k.publicKey.asymmetricKeyType])).toEqual([
      [KEY_ID, "public", "rsa"],
      ["K2", "public", "rsa"],
      ["K3", "public", "ec"],
    ]);
    expect(loadTrustedKeys(`K4=${dir}/ec.key.pem`)[0]?.publicKey.type).toBe("public");
    const verify = createVerifier(keys);
    for (const [keyPairId, privateKey] of [
      [KEY_ID, PEM],
      ["K3", ec.pem],
    ] as const) {
      for (const algorithm of ["SHA1", "SHA256"] as const) {
        const cookies = cookiesOf(
          getSignedCookies({
            url: URL_A,
            keyPairId,
            privateKey,
            algorithm,
            dateLessThan: new Date(NOW + 1000),
          }),
        );
        expect(verify({ url: URL_A, cookies, sourceIp: "", now: NOW }), keyPairId).toMatchObject({
          ok: true,
          keyId: keyPairId,
        });
        // The same cookies named as signed by the other key type's ID.
        const swapped = {
          ...cookies,
          "CloudFront-Key-Pair-Id": keyPairId === "K3" ? KEY_ID : "K3",
        };
        expect(verify({ url: URL_A, cookies: swapped, sourceIp: "", now: NOW })).toMatchObject({
          ok: false,
          reason: "bad-signature",
        });
      }
    }
    expect(loadTrustedKeys("  ")).toEqual([]);
    expect(() => loadTrustedKeys(`${dir}/a.pem`)).toThrow(/ID=path/);
    expect(() => loadTrustedKeys(`K=${dir}/missing.pem`)).toThrow(/K: cannot read/);
    expect(() => loadTrustedKeys(`K=${dir}/a.pem,K=${dir}/b.pub.pem`)).toThrow(/twice/);
    expect(() =>
      createVerifier([
        { id: "K", publicKey },
        { id: "K", publicKey },
      ]),
    ).toThrow(/twice/);
    expect(() => createVerifier([{ id: "K", publicKey: privateKey }])).toThrow(
      /K is not a public key/,
    );
  });

  // CloudFront refuses to take any other public key, so the preview edge refuses it at start.
  it.each([
    [
      "P-384",
      () => generateKeyPairSync("ec", { namedCurve: "P-384" }),
      /EC key on curve secp384r1/,
    ],
    [
      "secp256k1",
      () => generateKeyPairSync("ec", { namedCurve: "secp256k1" }),
      /EC key on curve secp256k1/,
    ],
    ["RSA-1024", () => generateKeyPairSync("rsa", { modulusLength: 1024 }), /RSA-1024 key/],
    ["RSA-3072", () => generateKeyPairSync("rsa", { modulusLength: 3072 }), /RSA-3072 key/],
    ["RSA-PSS", () => generateKeyPairSync("rsa-pss", { modulusLength: 2048 }), /rsa-pss key/],
    ["Ed25519", () => generateKeyPairSync("ed25519"), /ed25519 key/],
    ["X25519", () => generateKeyPairSync("x25519"), /x25519 key/],
  ] as const)(
    "refuses a %s key, naming the entry, the file and what CloudFront takes",
    (name, make, what) => {
      const file = write(`${name}.pem`, make().publicKey);
      const message = new RegExp(
        `^trusted key K9: ${file} holds an? ${what.source}.*CloudFront takes`,
      );
      expect(() => loadTrustedKeys(`${KEY_ID}=${dir}/a.pem,K9=${file}`)).toThrow(message);
      expect(() => createVerifier([{ id: "K9", publicKey: make().publicKey }])).toThrow(
        new RegExp(`^trusted key K9 is an? ${what.source}`),
      );
    },
  );
});
