/**
 * Parses a `Cookie` request header into a name -> value record (null prototype, so a cookie
 * named `__proto__` is just a cookie). Values are kept verbatim: no percent-decoding and no
 * quote stripping, as CloudFront reads them. When a name repeats, the first one wins: browsers
 * send the cookie with the longest matching Path first.
 */
export function parseCookieHeader(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null) as Record<string, string>;
  if (typeof header !== "string" || header.length === 0) return cookies;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq === -1) continue;
    const name = pair.slice(0, eq).trim();
    if (name.length === 0 || name in cookies) continue;
    cookies[name] = pair.slice(eq + 1).trim();
  }
  return cookies;
}
