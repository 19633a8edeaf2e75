import "server-only";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request that a browser sent on behalf of another origin.
 *
 * The session cookie is SameSite=Lax, which keeps other sites' requests from carrying it
 * but not those of a sibling origin of the same site (another subdomain or port): a form
 * there that posts here is sent with the member's cookies. Browsers say where a request
 * came from, and page scripts cannot forge either header:
 *
 * - `Sec-Fetch-Site` (every current browser): only `same-origin`, or `none` (the user
 *   typed or bookmarked it), may change anything;
 * - without it (older browsers), `Origin`, when present, must be the public origin
 *   (AUTH_URL); `null` (sandboxed frames, privacy redirects) is refused.
 *
 * A request with neither is not from a browser's page (curl, the tests, a script) and
 * carries only the credentials its sender already holds, so it passes.
 */
export function refuseCrossSite(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const site = req.headers.get("sec-fetch-site");
  if (site !== null) {
    if (site === "same-origin" || site === "none") return;
    throw crossSite();
  }
  const origin = req.headers.get("origin");
  if (origin !== null && origin !== env().publicOrigin) throw crossSite();
}

function crossSite(): AppError {
  return new AppError(
    "forbidden",
    "This request came from another site or another origin of this site, and was refused. Use the portal's own pages.",
  );
}
