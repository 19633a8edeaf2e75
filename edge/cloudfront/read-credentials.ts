/** The signing values of one request, taken from its query string or from its cookies. */
export interface Credentials {
  /** "url" as soon as the query names any of Expires, Policy, Signature or Key-Pair-Id. */
  via: "url" | "cookie";
  keyPairId?: string;
  expires?: string;
  policy?: string;
  signature?: string;
  hashAlgorithm?: string;
  /** A signing parameter appeared twice in the query: ambiguous, refused. */
  duplicate: boolean;
  /**
   * What the policy's Resource is matched against: for a signed URL the URL without its
   * signing parameters (what the signer signed), for cookies the full request URL.
   */
  resourceUrl: string;
}

type UrlParam = "Expires" | "Policy" | "Signature" | "Key-Pair-Id" | "Hash-Algorithm";

const URL_PARAMS: ReadonlySet<string> = new Set<UrlParam>([
  "Expires",
  "Policy",
  "Signature",
  "Key-Pair-Id",
  "Hash-Algorithm",
]);

function decodeParam(value: string): string {
  if (value.indexOf("%") === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    // Left encoded, it fails the base64 alphabet or the key lookup later: still a 403.
    return value;
  }
}

function cookie(cookies: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = Object.prototype.hasOwnProperty.call(cookies, name) ? cookies[name] : undefined;
  return typeof value === "string" ? value : undefined;
}

function fromCookies(url: string, cookies: Readonly<Record<string, unknown>>): Credentials {
  return {
    via: "cookie",
    keyPairId: cookie(cookies, "CloudFront-Key-Pair-Id"),
    expires: cookie(cookies, "CloudFront-Expires"),
    policy: cookie(cookies, "CloudFront-Policy"),
    signature: cookie(cookies, "CloudFront-Signature"),
    hashAlgorithm: cookie(cookies, "CloudFront-Hash-Algorithm"),
    duplicate: false,
    resourceUrl: url,
  };
}

/**
 * Picks the credentials of a request. A signed URL wins over cookies, as in CloudFront: once
 * the query carries a signing parameter, the cookies are not looked at, even when the URL's
 * credentials then fail. Parameter names are case-sensitive; values are percent-decoded.
 * `Hash-Algorithm` alone does not make a signed URL, it only qualifies one.
 */
export function readCredentials(
  url: string,
  cookies: Readonly<Record<string, unknown>>,
): Credentials {
  const q = url.indexOf("?");
  if (q === -1) return fromCookies(url, cookies);

  const values: Partial<Record<UrlParam, string>> = {};
  const kept: string[] = [];
  let duplicate = false;
  for (const part of url.slice(q + 1).split("&")) {
    const eq = part.indexOf("=");
    const name = eq === -1 ? part : part.slice(0, eq);
    if (!URL_PARAMS.has(name)) {
      kept.push(part);
      continue;
    }
    const key = name as UrlParam;
    if (values[key] !== undefined) duplicate = true;
    values[key] = eq === -1 ? "" : decodeParam(part.slice(eq + 1));
  }
  const signed =
    values.Expires !== undefined ||
    values.Policy !== undefined ||
    values.Signature !== undefined ||
    values["Key-Pair-Id"] !== undefined;
  if (!signed) return fromCookies(url, cookies);

  // The signer appends its parameters to the URL it signed; removing them, and keeping every
  // other parameter verbatim and in order, gives back that URL.
  const base = url.slice(0, q);
  return {
    via: "url",
    keyPairId: values["Key-Pair-Id"],
    expires: values.Expires,
    policy: values.Policy,
    signature: values.Signature,
    hashAlgorithm: values["Hash-Algorithm"],
    duplicate,
    resourceUrl: kept.length > 0 ? `${base}?${kept.join("&")}` : base,
  };
}
