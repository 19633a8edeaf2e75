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
  if (hasControlChar(value)) return fallback;
  // Sending a member back to the sign-in or sign-out page after signing in is a loop.
  if (/^\/sign(in|out)(?=$|[/?#])/.test(value)) return fallback;
  return value;
}

function hasControlChar(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
