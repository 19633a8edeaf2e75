import { Duration } from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import { Construct } from "constructs";
import {
  contentSecurityPolicy,
  RESPONSE_HEADERS_POLICIES,
  type ResponseHeadersPolicySpec,
} from "../../edge/security-headers";

/** A CloudFront string enum member by its value; throws for a value CloudFront lacks. */
function enumMember<T extends string>(values: Record<string, T>, value: string): T {
  const member = Object.values(values).find((v) => v === value);
  if (!member) throw new Error(`CloudFront has no response header value "${value}"`);
  return member;
}

/**
 * CloudFront response headers policy props from the shared spec (edge/security-headers.ts,
 * which the preview edge sends too). Every header overrides the origin's. CloudFront only
 * serves viewers over https, so HSTS and the CSP's TLS-only directives are always in.
 */
export function responseHeadersPolicyProps(
  spec: ResponseHeadersPolicySpec,
): cloudfront.ResponseHeadersPolicyProps {
  const s = spec.security;
  const custom = Object.entries(spec.custom);
  return {
    comment: spec.comment,
    securityHeadersBehavior: {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.seconds(s.strictTransportSecurity.maxAgeSeconds),
        includeSubdomains: s.strictTransportSecurity.includeSubdomains,
        preload: s.strictTransportSecurity.preload || undefined,
        override: true,
      },
      contentTypeOptions: s.contentTypeOptions ? { override: true } : undefined,
      frameOptions: {
        frameOption: enumMember(cloudfront.HeadersFrameOption, s.frameOptions),
        override: true,
      },
      referrerPolicy: {
        referrerPolicy: enumMember(cloudfront.HeadersReferrerPolicy, s.referrerPolicy),
        override: true,
      },
      contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(s), override: true },
    },
    customHeadersBehavior: custom.length
      ? {
          customHeaders: custom.map(([header, value]) => ({ header, value, override: true })),
        }
      : undefined,
    removeHeaders: [...spec.remove],
  };
}

/**
 * The response headers policy of edge/security-headers.ts that every behavior attaches.
 * Caching is not a policy header: the site deployment stores each file's Cache-Control.
 */
export class SecurityHeaders extends Construct {
  readonly standard: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const policy = (name: string, spec: ResponseHeadersPolicySpec) =>
      new cloudfront.ResponseHeadersPolicy(this, name, responseHeadersPolicyProps(spec));
    this.standard = policy("Standard", RESPONSE_HEADERS_POLICIES.standard);
  }
}
