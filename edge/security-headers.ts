/**
 * The distribution's response headers: the one source of truth. The preview edge
 * (edge/server.ts) sends them with `httpResponseHeaders`, and the CDK app
 * (infra/lib/security-headers.ts) turns the same objects into CloudFront response
 * headers policies. Plain data with no imports, so both the edge at run time and
 * `cdk synth` load this very file; infra/test/headers-parity.test.ts proves the
 * synthesized policies and the edge's actual responses agree.
 *
 * Every header here overrides whatever the origin (S3 or the API) answered, as
 * CloudFront's `override: true` does.
 */

/** X-Frame-Options values CloudFront accepts. */
export type FrameOption = "DENY" | "SAMEORIGIN";

/** Referrer-Policy values CloudFront accepts. */
export type ReferrerPolicy =
  | "no-referrer"
  | "no-referrer-when-downgrade"
  | "origin"
  | "origin-when-cross-origin"
  | "same-origin"
  | "strict-origin"
  | "strict-origin-when-cross-origin"
  | "unsafe-url";

/** CloudFront's security headers (a policy's `securityHeadersBehavior`). */
export interface SecurityHeadersSpec {
  /** Strict-Transport-Security; only sent over TLS (see `httpResponseHeaders`). */
  readonly strictTransportSecurity: {
    readonly maxAgeSeconds: number;
    readonly includeSubdomains: boolean;
    readonly preload: boolean;
  };
  /** X-Content-Type-Options: nosniff (the header's only value). */
  readonly contentTypeOptions: boolean;
  readonly frameOptions: FrameOption;
  readonly referrerPolicy: ReferrerPolicy;
  readonly contentSecurityPolicy: {
    readonly directives: readonly string[];
    /** Directives that only mean something over TLS, appended after `directives`. */
    readonly tlsOnlyDirectives: readonly string[];
  };
}

/** One CloudFront response headers policy. */
export interface ResponseHeadersPolicySpec {
  readonly comment: string;
  readonly security: SecurityHeadersSpec;
  /** Any other header (a policy's `customHeadersBehavior`), by its canonical name. */
  readonly custom: Readonly<Record<string, string>>;
  /** Headers dropped from the origin's answer (a policy's `removeHeaders`). */
  readonly remove: readonly string[];
}

/**
 * Content-Security-Policy for the static export and the player:
 * - script-src needs 'unsafe-inline': a Next static export inlines its bootstrap
 *   (`self.__next_f.push(...)`) and cannot carry a per-request nonce;
 * - media-src/worker-src need blob: because hls.js feeds MediaSource through blob: URLs
 *   and may run its transmuxer in a blob: worker;
 * - connect-src 'self' covers /api/* and the playlists/segments hls.js fetches, all on
 *   this one host (DESIGN section 1).
 */
const SECURITY: SecurityHeadersSpec = {
  // Two years, what the preload list asks for.
  strictTransportSecurity: { maxAgeSeconds: 63_072_000, includeSubdomains: true, preload: false },
  contentTypeOptions: true,
  frameOptions: "DENY",
  referrerPolicy: "strict-origin-when-cross-origin",
  contentSecurityPolicy: {
    directives: [
      "default-src 'self'",
      "script-src 'self' 'unsafe-inline'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "media-src 'self' blob:",
      "worker-src 'self' blob:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ],
    // On an http page it would send the page's own requests to https.
    tlsOnlyDirectives: ["upgrade-insecure-requests"],
  },
};

/**
 * Cache-Control of the site's files, stored on each object when the site is deployed
 * (infra/lib/site-deployment.ts) and sent by the preview edge for the same files. It is
 * not a response headers policy header: a policy sets its headers on every answer of a
 * behavior, so a missing chunk's 404 would be cached by browsers for a year.
 */
export const SITE_CACHE_CONTROL = {
  /** Content-hashed files under `/_next/static/*`. */
  hashed: "public, max-age=31536000, immutable",
  /** Pages and everything else: revalidated on every use. */
  other: "public, max-age=0, must-revalidate",
} as const;

/** The response headers policy every behavior of the distribution attaches. */
export const RESPONSE_HEADERS_POLICIES = {
  standard: {
    comment: "Reelgate security headers",
    security: SECURITY,
    custom: {},
    remove: ["Server"],
  },
} as const satisfies Record<string, ResponseHeadersPolicySpec>;

export type ResponseHeadersPolicyName = keyof typeof RESPONSE_HEADERS_POLICIES;

/** The full Content-Security-Policy value, as served over TLS. */
export function contentSecurityPolicy(security: SecurityHeadersSpec, tls = true): string {
  const { directives, tlsOnlyDirectives } = security.contentSecurityPolicy;
  return [...directives, ...(tls ? tlsOnlyDirectives : [])].join("; ");
}

/**
 * A policy as raw HTTP response headers (lower-case names), the way CloudFront writes them.
 *
 * Over plain http (`tls: false`, the preview edge when its public origin is http) two
 * things are left out on purpose, because they only mean something over TLS:
 * Strict-Transport-Security (browsers ignore it on http, RFC 6797 section 8.1) and the
 * CSP's `tlsOnlyDirectives` (`upgrade-insecure-requests` would send the page's own
 * requests to an https port nothing listens on). Everything else is identical.
 */
export function httpResponseHeaders(
  policy: ResponseHeadersPolicySpec,
  { tls }: { tls: boolean },
): Record<string, string> {
  const s = policy.security;
  const hsts = s.strictTransportSecurity;
  const headers: Record<string, string> = {};
  if (tls) {
    headers["strict-transport-security"] = [
      `max-age=${hsts.maxAgeSeconds}`,
      ...(hsts.includeSubdomains ? ["includeSubDomains"] : []),
      ...(hsts.preload ? ["preload"] : []),
    ].join("; ");
  }
  if (s.contentTypeOptions) headers["x-content-type-options"] = "nosniff";
  headers["x-frame-options"] = s.frameOptions;
  headers["referrer-policy"] = s.referrerPolicy;
  headers["content-security-policy"] = contentSecurityPolicy(s, tls);
  for (const [name, value] of Object.entries(policy.custom)) headers[name.toLowerCase()] = value;
  return headers;
}
