import { readFileSync } from "node:fs";
import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { viewerRequestFunctionFile } from "../lib/paths";
import {
  distributionConfig,
  render,
  resourceId,
  synthesize,
  type Behavior,
  type DistributionConfig,
  type Synthesized,
} from "./synth";

// Managed policy IDs (documented, stable across accounts).
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

let s: Synthesized;
let dc: DistributionConfig;
let origins: { site: string; media: string; api: string };

function behavior(pattern: string): Behavior {
  const b = dc.CacheBehaviors.find((x) => x.PathPattern === pattern);
  if (!b) throw new Error(`no behavior ${pattern}`);
  return b;
}

interface CachePolicyConfig {
  MinTTL: number;
  DefaultTTL: number;
  MaxTTL: number;
  ParametersInCacheKeyAndForwardedToOrigin: {
    CookiesConfig: unknown;
    HeadersConfig: unknown;
    QueryStringsConfig: unknown;
  };
}

function cachePolicy(id: unknown): CachePolicyConfig {
  const ref = (id as { Ref: string }).Ref;
  return s.json.Resources[ref]!.Properties!.CachePolicyConfig as CachePolicyConfig;
}

beforeAll(() => {
  s = synthesize();
  dc = distributionConfig(s);
  const originFor = (needle: string) => {
    const o = dc.Origins.find((x) => render(x.DomainName).includes(needle));
    if (!o) throw new Error(`no origin for ${needle}`);
    return o.Id;
  };
  origins = {
    site: originFor("SiteBucket"),
    media: originFor("MediaBucket"),
    api: originFor("ApiLoadBalancer"),
  };
});

describe("behaviors", () => {
  it("orders specific patterns before their parents (first match wins)", () => {
    const order = dc.CacheBehaviors.map((b) => b.PathPattern);
    expect(order.indexOf("/api/admin/*")).toBeLessThan(order.indexOf("/api/*"));
    expect(order.indexOf("/media/*.m3u8")).toBeLessThan(order.indexOf("/media/*"));
    expect(order.indexOf("/media/posters/*")).toBeLessThan(order.indexOf("/media/*"));
    expect(order).toEqual(expect.arrayContaining(["/admin*", "/_next/static/*"]));
  });

  it.each(["/api/*", "/api/admin/*"])(
    "%s goes to the ALB uncached with every method and all viewer data but Host",
    (p) => {
      const b = behavior(p);
      expect(b.TargetOriginId).toBe(origins.api);
      expect(b.CachePolicyId).toBe(CACHING_DISABLED);
      expect(b.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
      expect(b.AllowedMethods).toEqual(
        expect.arrayContaining(["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]),
      );
      expect(b.ViewerProtocolPolicy).toBe("https-only");
    },
  );

  it.each(["/media/*", "/media/*.m3u8", "/media/posters/*"])(
    "%s goes to the media bucket, GET/HEAD only",
    (p) => {
      const b = behavior(p);
      expect(b.TargetOriginId).toBe(origins.media);
      expect(b.AllowedMethods.sort()).toEqual(["GET", "HEAD"]);
    },
  );

  it("keeps catalog images at most 5 minutes at the edge: an unpublished video's leaves soon", () => {
    const images = cachePolicy(behavior("/media/posters/*").CachePolicyId);
    expect(images.MaxTTL).toBeLessThanOrEqual(300);
    expect(images.MinTTL).toBe(0);
  });

  it("caches segments long and playlists short", () => {
    const segments = cachePolicy(behavior("/media/*").CachePolicyId);
    const playlists = cachePolicy(behavior("/media/*.m3u8").CachePolicyId);
    expect(segments.DefaultTTL).toBeGreaterThanOrEqual(86_400);
    expect(segments.MinTTL).toBeGreaterThanOrEqual(86_400);
    expect(playlists.DefaultTTL).toBeLessThanOrEqual(60);
    expect(playlists.MaxTTL).toBeLessThanOrEqual(60);
  });

  it("forwards no cookie, header or query string to the buckets", () => {
    const s3Behaviors = [dc.DefaultCacheBehavior, ...dc.CacheBehaviors].filter(
      (b) => b.TargetOriginId === origins.media || b.TargetOriginId === origins.site,
    );
    expect(s3Behaviors.length).toBe(6);
    for (const b of s3Behaviors) {
      expect(b.OriginRequestPolicyId, b.PathPattern).toBeUndefined();
      const params = cachePolicy(b.CachePolicyId).ParametersInCacheKeyAndForwardedToOrigin;
      expect(params.CookiesConfig).toEqual({ CookieBehavior: "none" });
      expect(params.HeadersConfig).toEqual({ HeaderBehavior: "none" });
      expect(params.QueryStringsConfig).toEqual({ QueryStringBehavior: "none" });
    }
  });

  it("trusts the key group on /media/* only", () => {
    const keyGroup = { Ref: resourceId(s, "AWS::CloudFront::KeyGroup", "SigningKeys") };
    const withKeys = [dc.DefaultCacheBehavior, ...dc.CacheBehaviors].filter(
      (b) => b.TrustedKeyGroups,
    );
    expect(withKeys.map((b) => b.PathPattern).sort()).toEqual([
      "/media/*",
      "/media/*.m3u8",
      "/media/posters/*",
    ]);
    for (const b of withKeys) expect(b.TrustedKeyGroups).toEqual([keyGroup]);
  });

  it("serves the site from the site bucket through the viewer-request function, /admin* too", () => {
    const fn = {
      "Fn::GetAtt": [resourceId(s, "AWS::CloudFront::Function", "CdnViewerRequest"), "FunctionARN"],
    };
    for (const b of [dc.DefaultCacheBehavior, behavior("/admin*")]) {
      expect(b.TargetOriginId).toBe(origins.site);
      expect(b.FunctionAssociations).toEqual([{ EventType: "viewer-request", FunctionARN: fn }]);
    }
    expect(behavior("/_next/static/*").TargetOriginId).toBe(origins.site);
    expect(behavior("/_next/static/*").FunctionAssociations).toBeUndefined();
  });

  it("never rewrites errors to HTML distribution-wide (would mask /api and /media 403s)", () => {
    expect(dc.CustomErrorResponses).toBeUndefined();
  });

  it("attaches the WAF web ACL", () => {
    expect(dc.WebACLId).toEqual({
      "Fn::GetAtt": [resourceId(s, "AWS::WAFv2::WebACL", "Waf"), "Arn"],
    });
  });
});

describe("origins", () => {
  it("reaches both buckets through Origin Access Control, not a legacy OAI", () => {
    for (const id of [origins.site, origins.media]) {
      const o = dc.Origins.find((x) => x.Id === id)!;
      expect(o.OriginAccessControlId).toBeDefined();
      expect(o.S3OriginConfig?.OriginAccessIdentity ?? "").toBe("");
    }
    s.template.resourceCountIs("AWS::CloudFront::CloudFrontOriginAccessIdentity", 0);
    s.template.hasResourceProperties("AWS::CloudFront::OriginAccessControl", {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: "s3",
        SigningBehavior: "always",
      }),
    });
  });

  it("sends the X-Origin-Verify secret to the API, from Secrets Manager", () => {
    const api = dc.Origins.find((x) => x.Id === origins.api)!;
    const header = api.OriginCustomHeaders?.find((h) => h.HeaderName === "X-Origin-Verify");
    expect(render(header?.HeaderValue)).toMatch(
      /^\{\{resolve:secretsmanager:<SecretsOriginVerify\w+>:SecretString:::\}\}$/,
    );
  });
});

describe("viewer-request function", () => {
  it("is the exact file the preview edge runs, on the cloudfront-js-2.0 runtime", () => {
    const id = resourceId(s, "AWS::CloudFront::Function", "CdnViewerRequest");
    const props = s.json.Resources[id]!.Properties as {
      FunctionCode: string;
      FunctionConfig: { Runtime: string };
    };
    expect(props.FunctionCode).toBe(readFileSync(viewerRequestFunctionFile, "utf8"));
    expect(props.FunctionConfig.Runtime).toBe("cloudfront-js-2.0");
  });
});

describe("response headers", () => {
  it("sets HSTS, nosniff, DENY framing, referrer policy and a CSP fit for hls.js", () => {
    s.template.hasResourceProperties("AWS::CloudFront::ResponseHeadersPolicy", {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({
            AccessControlMaxAgeSec: 63_072_000,
            IncludeSubdomains: true,
          }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: "DENY", Override: true },
          ReferrerPolicy: { ReferrerPolicy: "strict-origin-when-cross-origin", Override: true },
          ContentSecurityPolicy: {
            ContentSecurityPolicy: Match.stringLikeRegexp(
              "media-src 'self' blob:.*worker-src 'self' blob:",
            ),
            Override: true,
          },
        }),
      }),
    });
  });

  it("applies a headers policy to every behavior", () => {
    for (const b of [dc.DefaultCacheBehavior, ...dc.CacheBehaviors]) {
      expect(b.ResponseHeadersPolicyId, b.PathPattern ?? "default").toBeDefined();
    }
  });
});
