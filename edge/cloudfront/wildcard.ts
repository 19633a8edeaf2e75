/** A compiled `Resource` pattern. */
export type ResourceMatcher = (url: string) => boolean;

/**
 * Compiles a policy `Resource`: `*` matches zero or more characters and `?` exactly one,
 * anywhere in the string (scheme, host, path or query); everything else matches itself.
 * There is no escape character, as in CloudFront.
 *
 * Not a RegExp on purpose: a signed pattern like `*a*a*a*b` would backtrack exponentially.
 * The greedy matcher below is O(pattern x url) in the worst case and linear in practice.
 */
export function compileWildcard(pattern: string): ResourceMatcher {
  const firstStar = pattern.indexOf("*");
  if (pattern.indexOf("?") === -1) {
    if (firstStar === -1) return (url) => url === pattern;
    if (firstStar === pattern.length - 1) {
      // The common "https://host/media/*" shape.
      const prefix = pattern.slice(0, -1);
      return (url) => url.startsWith(prefix);
    }
  }
  return (url) => matchWildcard(pattern, url);
}

/** Whether `url` matches the `Resource` pattern `pattern` (see `compileWildcard`). */
export function matchWildcard(pattern: string, url: string): boolean {
  let p = 0;
  let u = 0;
  let starP = -1;
  let starU = 0;
  while (u < url.length) {
    const ch = pattern.charCodeAt(p);
    if (p < pattern.length && ch !== 42 && (ch === 63 || ch === url.charCodeAt(u))) {
      p++;
      u++;
    } else if (p < pattern.length && ch === 42) {
      starP = p++;
      starU = u;
    } else if (starP !== -1) {
      // Let the last star swallow one more character and retry from there.
      p = starP + 1;
      u = ++starU;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}
