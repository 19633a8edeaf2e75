/**
 * The `callbackUrl` to go to after sign-in, if it is a same-origin path. Anything
 * else (absolute URLs, protocol-relative `//evil.example`, backslash tricks that
 * browsers normalise to `//`) falls back, so the sign-in page cannot be used as
 * an open redirect.
 */
export function safeCallbackPath(raw: string | null | undefined, fallback = "/videos"): string {
  if (!raw) return fallback;
  const value = raw.trim();
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  // Control characters (tab, newline) are stripped by URL parsers and can turn
  // "/\t/evil" into "//evil".
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  // Sending a member back to the sign-in or sign-out page after signing in is a loop.
  if (/^\/sign(in|out)(?=$|[/?#])/.test(value)) return fallback;
  return value;
}
