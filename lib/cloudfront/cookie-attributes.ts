import "server-only";
import { isIP } from "node:net";

/** The attributes every CloudFront media cookie is set and cleared with. */
export interface MediaCookieAttributes {
  /**
   * Only media requests carry the cookies, and only those under this path: a video's
   * folder (`/media/videos/{id}/`), a catalog folder, or `/media/` for an admin. Pages and
   * /api/* never see them, and one browser holds several sets side by side.
   */
  path: string;
  /** Scripts never read them: a stolen cookie is a stolen membership until it expires. */
  httpOnly: true;
  /** On an https origin; the http local preview would otherwise drop them. */
  secure: boolean;
  /** Sent on top-level navigation and same-site media requests, not on cross-site embeds. */
  sameSite: "lax";
  /** Only when SIGNED_COOKIE_DOMAIN is set; host-only cookies are the safer default. */
  domain?: string;
}

/**
 * The media cookie attributes for a public origin, THE one place they are decided
 * (design section 5), for the folder `path`. `domain` must cover the origin's host, otherwise the browser drops
 * the cookies without a word and every media request is a 403.
 */
export function mediaCookieAttributesFor(
  publicOrigin: string,
  domain: string | undefined,
  path = "/media/",
): MediaCookieAttributes {
  if (!/^\/media\/(?:[A-Za-z0-9_-]+\/)*$/.test(path)) {
    throw new Error(`media cookie path ${path} is not a folder under /media/`);
  }
  const url = new URL(publicOrigin);
  const attributes: MediaCookieAttributes = {
    path,
    httpOnly: true,
    secure: url.protocol === "https:",
    sameSite: "lax",
  };
  if (domain !== undefined) attributes.domain = checkCookieDomain(domain, url.hostname);
  return attributes;
}

/** Validates SIGNED_COOKIE_DOMAIN against the public host; returns it normalized. */
export function checkCookieDomain(domain: string, host: string): string {
  const normalized = domain.trim().toLowerCase().replace(/^\./, "");
  const hostname = host.toLowerCase();
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(normalized)) {
    throw new Error(`SIGNED_COOKIE_DOMAIN "${domain}" is not a domain name`);
  }
  if (isIP(hostname.replace(/^\[|\]$/g, "")) !== 0) {
    throw new Error(`SIGNED_COOKIE_DOMAIN cannot be used with an IP address origin (${host})`);
  }
  if (hostname !== normalized && !hostname.endsWith(`.${normalized}`)) {
    throw new Error(
      `SIGNED_COOKIE_DOMAIN "${domain}" does not cover the public origin's host ${host}; ` +
        "browsers would drop the media cookies",
    );
  }
  return normalized;
}

/** One Set-Cookie header value with the media attributes. */
export function serializeCookie(
  name: string,
  value: string,
  attributes: MediaCookieAttributes,
  lifetime: { expires: Date; maxAge: number },
): string {
  const parts = [`${name}=${value}`];
  if (attributes.domain) parts.push(`Domain=${attributes.domain}`);
  parts.push(`Path=${attributes.path}`);
  parts.push(`Expires=${lifetime.expires.toUTCString()}`);
  parts.push(`Max-Age=${lifetime.maxAge}`);
  parts.push("HttpOnly");
  if (attributes.secure) parts.push("Secure");
  parts.push("SameSite=Lax");
  return parts.join("; ");
}
