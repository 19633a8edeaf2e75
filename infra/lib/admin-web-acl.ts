import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";

/** Props for {@link AdminWebAcl}. */
export interface AdminWebAclProps {
  /** IPv4 CIDRs allowed on `/admin*` and `/api/admin/*`; empty blocks everyone. */
  readonly adminIpv4Cidrs: readonly string[];
  /** IPv6 CIDRs allowed on the same paths. */
  readonly adminIpv6Cidrs: readonly string[];
  /** Requests per IP per 5 minutes on the sign-in route before WAF blocks that IP. */
  readonly signInRateLimit: number;
  /**
   * Path prefixes that check a password: NextAuth's credentials callback, the password
   * change and the reset link. Matched as prefixes, so a trailing slash or any other
   * suffix is counted too.
   */
  readonly signInPaths?: readonly string[];
  /** Prefix for the metric names, to tell stages apart. */
  readonly metricPrefix: string;
}

/** Path prefixes only admins may reach; each answers 403 in its own format otherwise. */
export const ADMIN_PATH_PREFIXES = { pages: "/admin", api: "/api/admin/" } as const;

export const DEFAULT_SIGN_IN_PATHS = [
  "/api/auth/callback/",
  "/api/account/password",
  "/api/password-reset",
] as const;

// Match on the path the origin will see: percent-decoding and dot/double-slash
// normalization stop `/api/%61dmin/` or `/api//admin/` from slipping past the rule,
// and lowercasing stops `/Admin`.
const PATH_TRANSFORMS: wafv2.CfnWebACL.TextTransformationProperty[] = [
  { priority: 0, type: "URL_DECODE" },
  { priority: 1, type: "NORMALIZE_PATH" },
  { priority: 2, type: "LOWERCASE" },
];

function pathMatch(value: string, positional: "STARTS_WITH"): wafv2.CfnWebACL.StatementProperty {
  return {
    byteMatchStatement: {
      fieldToMatch: { uriPath: {} },
      positionalConstraint: positional,
      searchString: value.toLowerCase(),
      textTransformations: PATH_TRANSFORMS,
    },
  };
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

const FORBIDDEN_HTML =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Forbidden</title></head>' +
  "<body><h1>403 Forbidden</h1><p>The admin area is only reachable from the office network or VPN.</p></body></html>";
const FORBIDDEN_JSON = JSON.stringify({
  error: { code: "forbidden", message: "Admin API is not reachable from this network" },
});
const RATE_LIMITED_JSON = JSON.stringify({
  error: { code: "rate_limited", message: "Too many sign-in attempts; try again in a few minutes" },
});

/**
 * The distribution's WAF web ACL (CLOUDFRONT scope, so the stack must be in us-east-1):
 * an IP allow-list on the admin paths and a per-IP rate limit on credential sign-in.
 * Everything else is allowed; the app does its own authorization.
 */
export class AdminWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly ipv4Set: wafv2.CfnIPSet;
  readonly ipv6Set: wafv2.CfnIPSet;

  constructor(scope: Construct, id: string, props: AdminWebAclProps) {
    super(scope, id);
    this.ipv4Set = new wafv2.CfnIPSet(this, "AdminIpv4", {
      scope: "CLOUDFRONT",
      ipAddressVersion: "IPV4",
      addresses: [...props.adminIpv4Cidrs],
      description: "Admin allow-list IPv4",
    });
    this.ipv6Set = new wafv2.CfnIPSet(this, "AdminIpv6", {
      scope: "CLOUDFRONT",
      ipAddressVersion: "IPV6",
      addresses: [...props.adminIpv6Cidrs],
      description: "Admin allow-list IPv6",
    });
    const fromAdminNetwork: wafv2.CfnWebACL.StatementProperty = {
      orStatement: {
        statements: [
          { ipSetReferenceStatement: { arn: this.ipv4Set.attrArn } },
          { ipSetReferenceStatement: { arn: this.ipv6Set.attrArn } },
        ],
      },
    };
    const adminOnly = (
      name: string,
      priority: number,
      prefix: string,
      bodyKey: string,
    ): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      statement: {
        andStatement: {
          statements: [
            pathMatch(prefix, "STARTS_WITH"),
            { notStatement: { statement: fromAdminNetwork } },
          ],
        },
      },
      action: { block: { customResponse: { responseCode: 403, customResponseBodyKey: bodyKey } } },
      visibilityConfig: visibility(`${props.metricPrefix}${name}`),
    });

    this.webAcl = new wafv2.CfnWebACL(this, "WebAcl", {
      scope: "CLOUDFRONT",
      defaultAction: { allow: {} },
      description: "Reelgate: admin IP allow-list and sign-in rate limit",
      customResponseBodies: {
        "admin-forbidden-html": { contentType: "TEXT_HTML", content: FORBIDDEN_HTML },
        "admin-forbidden-json": { contentType: "APPLICATION_JSON", content: FORBIDDEN_JSON },
        "rate-limited-json": { contentType: "APPLICATION_JSON", content: RATE_LIMITED_JSON },
      },
      rules: [
        adminOnly("AdminPagesAllowList", 0, ADMIN_PATH_PREFIXES.pages, "admin-forbidden-html"),
        adminOnly("AdminApiAllowList", 1, ADMIN_PATH_PREFIXES.api, "admin-forbidden-json"),
        {
          name: "SignInRateLimit",
          priority: 2,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: "IP",
              limit: props.signInRateLimit,
              evaluationWindowSec: 300,
              // Prefixes, not exact paths: NextAuth drops empty path segments, so
              // `/api/auth/callback/credentials/` signs in as well (NORMALIZE_PATH has
              // already merged double slashes and resolved dot segments).
              scopeDownStatement: {
                orStatement: {
                  statements: (props.signInPaths ?? DEFAULT_SIGN_IN_PATHS).map((p) =>
                    pathMatch(p, "STARTS_WITH"),
                  ),
                },
              },
            },
          },
          action: {
            block: {
              customResponse: { responseCode: 429, customResponseBodyKey: "rate-limited-json" },
            },
          },
          visibilityConfig: visibility(`${props.metricPrefix}SignInRateLimit`),
        },
      ],
      visibilityConfig: visibility(`${props.metricPrefix}WebAcl`),
    });
  }
}
