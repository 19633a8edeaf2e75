import { Duration } from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import { Construct } from "constructs";

/** Props for {@link SecurityHeaders}. */
export interface SecurityHeadersProps {
  /** HSTS max-age; two years is what the preload list asks for. */
  readonly hstsMaxAge?: Duration;
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
export const CONTENT_SECURITY_POLICY = [
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
  "upgrade-insecure-requests",
].join("; ");

/**
 * Response headers policies: `standard` (HSTS, nosniff, DENY framing, referrer policy,
 * CSP) for every behavior, and `immutableAssets`, the same plus a year-long immutable
 * Cache-Control for the content-hashed files under `/_next/static/*`.
 */
export class SecurityHeaders extends Construct {
  readonly standard: cloudfront.ResponseHeadersPolicy;
  readonly immutableAssets: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: SecurityHeadersProps = {}) {
    super(scope, id);
    const securityHeadersBehavior: cloudfront.ResponseSecurityHeadersBehavior = {
      strictTransportSecurity: {
        accessControlMaxAge: props.hstsMaxAge ?? Duration.days(730),
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
      contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
    };
    this.standard = new cloudfront.ResponseHeadersPolicy(this, "Standard", {
      comment: "Reelgate security headers",
      securityHeadersBehavior,
      removeHeaders: ["Server"],
    });
    this.immutableAssets = new cloudfront.ResponseHeadersPolicy(this, "ImmutableAssets", {
      comment: "Reelgate security headers + immutable caching for hashed assets",
      securityHeadersBehavior,
      removeHeaders: ["Server"],
      customHeadersBehavior: {
        customHeaders: [
          { header: "Cache-Control", value: "public, max-age=31536000, immutable", override: true },
        ],
      },
    });
  }
}
