import { parseCookieHeader } from "@/edge/cloudfront";
import { fromB64, toB64 } from "./cloudfront-keys";
import type { seededRandom } from "./seeded-random";

/** The signing values of one credential, whichever carrier sends them. */
export interface Creds {
  keyPairId?: string;
  expires?: string;
  policy?: string;
  signature?: string;
  hashAlgorithm?: string;
}

const HOSTS = [
  "d111111abcdef8.cloudfront.net",
  "localhost:3000",
  "media.example.com",
  "127.0.0.1:3000",
];

const SAFE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~";

/** An IPv4 address from its 32-bit number. */
export const ipv4 = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");

/** Whether `url` matches a Resource pattern: a RegExp built from it, independent of the edge's matcher. */
export function referenceMatch(pattern: string, url: string): boolean {
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

/** The same bytes spelled differently: flips an unused low bit of the last data character. */
export function nonCanonical(b64: string): string {
  const i = b64.replace(/_+$/, "").length - 1;
  const value = SAFE_ALPHABET.indexOf(b64[i] as string);
  return b64.slice(0, i) + SAFE_ALPHABET[value ^ 1] + b64.slice(i + 1);
}

/** The signing parameters of a signed URL, and the URL they were appended to. */
export function credsFromUrl(signedUrl: string): { base: string; creds: Creds } {
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

/**
 * The generators of the verifier's generated-case test, drawing from one seeded stream:
 * request URLs, Resource patterns that match them, policies, and the mutations of the
 * values a signer produced.
 */
export function cloudfrontGenerators(rng: ReturnType<typeof seededRandom>) {
  const { random, int, pick, chance } = rng;
  const alnum = (n: number) =>
    Array.from({ length: n }, () => pick([..."abcdefghijklmnopqrstuvwxyz0123456789"])).join("");

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
        `${scheme}://${host}/media/videos/${id}/*`,
        "*",
        url,
      ]);
    }
    let pattern = "";
    for (let i = 0; i < url.length;) {
      const r = random();
      if (r < 0.06) {
        pattern += "*";
        i += int(0, 12);
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
    const ordered = chance(0.3)
      ? Object.fromEntries(Object.entries(condition).reverse())
      : condition;
    return JSON.stringify({ Statement: [{ Resource: resource, Condition: ordered }] });
  }

  /** The signer's cookies as a browser sends them (sometimes with a session cookie), parsed back. */
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

  /** The JSON with whitespace between two tokens (outside strings): valid, and meaning the same. */
  function insertWhitespace(json: string): string {
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

  return {
    alnum,
    randomRequestUrl,
    wildcardFor,
    buildPolicy,
    credsFromCookies,
    flipCharBit,
    flipByteBit,
    insertWhitespace,
  };
}
