import { Annotations, Duration } from "aws-cdk-lib";
import type * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import type * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { acknowledge } from "./nag";
import { SecurityHeaders } from "./security-headers";

/** How CloudFront reaches the API. */
export interface ApiOriginProps {
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /**
   * DNS name (CNAME to the ALB) covered by the ALB's certificate; when set, CloudFront
   * talks HTTPS to the ALB, otherwise HTTP (see DEPLOY.md, "Origin TLS").
   */
  readonly originDomainName?: string;
  /** Value of the X-Origin-Verify header; a secret reference, never a literal. */
  readonly originVerifySecret: string;
}

/** Props for {@link ReelgateDistribution}. */
export interface ReelgateDistributionProps {
  /** Static export bucket: the default behavior and `/admin*`. */
  readonly siteBucket: s3.IBucket;
  /** Uploads and renditions; only `media/` is served (`/media/*`). */
  readonly mediaBucket: s3.IBucket;
  readonly api: ApiOriginProps;
  /** Key group whose signatures unlock `/media/*`, and only `/media/*`. */
  readonly trustedKeyGroup: cloudfront.IKeyGroup;
  /** ARN of the CLOUDFRONT-scope web ACL (admin allow-list, sign-in rate limit). */
  readonly webAclArn: string;
  /** The viewer-request CloudFront Function file shared with the preview edge. */
  readonly viewerRequestFunctionFile: string;
  /** Standard logs destination (ACL-enabled bucket). */
  readonly logBucket: s3.IBucket;
  /** Custom domain and its us-east-1 certificate; the default *.cloudfront.net otherwise. */
  readonly domainName?: string;
  readonly certificate?: acm.ICertificate;
}

/** The header CloudFront adds on the API origin and the ALB and API check. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";

/**
 * The one distribution of DESIGN section 1: site, API and media under one host.
 *
 * Behaviors, first match wins:
 *   /api/admin/*    API  (like /api/*; the WAF allow-list applies to this path)
 *   /api/*          API  no caching, all methods, cookies/query/headers except Host
 *   /media/*.m3u8   media bucket, trusted key group, short TTL (playlists)
 *   /media/*        media bucket, trusted key group, long TTL (segments, posters)
 *   /_next/static/* site bucket, cached a year (the files' own Cache-Control says immutable)
 *   /admin*         site bucket + viewer-request function (WAF allow-list applies)
 *   *               site bucket + viewer-request function, short TTL
 *
 * No `errorResponses`: they are distribution-wide, so mapping 403/404 to an HTML
 * page would also rewrite the API's JSON 403s and CloudFront's signed-cookie
 * denials on /media/*, hiding real denials from clients and hls.js. Instead the
 * site origin gets s3:ListBucket, so a missing page is an honest 404 from S3.
 */
export class ReelgateDistribution extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly viewerRequestFunction: cloudfront.Function;
  /** The https origin members use (custom domain or the cloudfront.net name). */
  readonly publicOrigin: string;

  constructor(scope: Construct, id: string, props: ReelgateDistributionProps) {
    super(scope, id);
    const headers = new SecurityHeaders(this, "Headers");

    // Deployed from the very file the local preview edge runs, never a copy.
    this.viewerRequestFunction = new cloudfront.Function(this, "ViewerRequest", {
      code: cloudfront.FunctionCode.fromFile({ filePath: props.viewerRequestFunctionFile }),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: "Maps pretty URLs to exported .html files (edge/viewer-request.js)",
    });
    const viewerRequest: cloudfront.FunctionAssociation[] = [
      {
        function: this.viewerRequestFunction,
        eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
      },
    ];

    const siteOrigin = origins.S3BucketOrigin.withOriginAccessControl(props.siteBucket, {
      originAccessLevels: [cloudfront.AccessLevel.READ, cloudfront.AccessLevel.LIST],
    });
    const mediaOrigin = origins.S3BucketOrigin.withOriginAccessControl(props.mediaBucket);
    const apiOrigin = props.api.originDomainName
      ? new origins.HttpOrigin(props.api.originDomainName, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          customHeaders: { [ORIGIN_VERIFY_HEADER]: props.api.originVerifySecret },
          readTimeout: Duration.seconds(60),
        })
      : new origins.LoadBalancerV2Origin(props.api.loadBalancer, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
          customHeaders: { [ORIGIN_VERIFY_HEADER]: props.api.originVerifySecret },
          readTimeout: Duration.seconds(60),
        });

    const siteHtmlCache = new cloudfront.CachePolicy(this, "SiteHtmlCache", {
      comment:
        "Exported HTML: short, so a deploy shows up within minutes even without invalidation",
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.minutes(5),
      maxTtl: Duration.hours(1),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      // Pages read ?v=ID in the browser; the exported file is the same for every query.
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const immutableCache = new cloudfront.CachePolicy(this, "ImmutableCache", {
      comment: "Content-hashed /_next/static files",
      minTtl: Duration.days(365),
      defaultTtl: Duration.days(365),
      maxTtl: Duration.days(365),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // Media cache keys carry no cookies and no query string: CloudFront verifies the
    // signed cookies / signed-URL parameters itself before the cache, so every member
    // shares one cached copy, and the app's session cookies (which can exceed the 8 KB
    // S3 accepts in request headers) never travel to the bucket.
    const mediaCache = (
      name: string,
      comment: string,
      min: Duration,
      def: Duration,
      max: Duration,
    ) =>
      new cloudfront.CachePolicy(this, name, {
        comment,
        minTtl: min,
        defaultTtl: def,
        maxTtl: max,
        cookieBehavior: cloudfront.CacheCookieBehavior.none(),
        headerBehavior: cloudfront.CacheHeaderBehavior.none(),
        queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      });
    const segmentCache = mediaCache(
      "MediaSegmentCache",
      "HLS segments and posters: written once per transcode, cached long",
      Duration.days(1),
      Duration.days(30),
      Duration.days(365),
    );
    // A catalog image is removed when its video is unpublished or regrouped: a cached copy
    // must not outlive that by much (members of the folder could still load it).
    const catalogImageCache = mediaCache(
      "MediaCatalogImageCache",
      "Catalog images: short, so an unpublished video's poster leaves the edge caches soon",
      Duration.seconds(0),
      Duration.seconds(60),
      Duration.seconds(300),
    );
    const playlistCache = mediaCache(
      "MediaPlaylistCache",
      "HLS playlists: short, so a re-transcode or unpublish shows up quickly",
      Duration.seconds(0),
      Duration.seconds(10),
      Duration.seconds(60),
    );

    const siteBehavior: cloudfront.BehaviorOptions = {
      origin: siteOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: siteHtmlCache,
      responseHeadersPolicy: headers.standard,
      functionAssociations: viewerRequest,
      compress: true,
    };
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      // No redirect: a POST redirected to https would lose its body.
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      // Host stays the ALB's: AUTH_URL tells the app its public origin.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers.standard,
      compress: true,
    };
    const mediaBehavior = (cachePolicy: cloudfront.ICachePolicy): cloudfront.BehaviorOptions => ({
      origin: mediaOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy,
      // No origin request policy: nothing beyond the (cookie-free) cache key is forwarded.
      trustedKeyGroups: [props.trustedKeyGroup],
      responseHeadersPolicy: headers.standard,
      compress: true,
    });

    this.distribution = new cloudfront.Distribution(this, "Distribution", {
      comment: "Reelgate: site, API and media under one host",
      defaultBehavior: siteBehavior,
      additionalBehaviors: {
        "/api/admin/*": apiBehavior,
        "/api/*": apiBehavior,
        "/media/*.m3u8": mediaBehavior(playlistCache),
        "/media/posters/*": mediaBehavior(catalogImageCache),
        "/media/*": mediaBehavior(segmentCache),
        "/_next/static/*": {
          origin: siteOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: immutableCache,
          responseHeadersPolicy: headers.standard,
          compress: true,
        },
        "/admin*": siteBehavior,
      },
      defaultRootObject: "index.html",
      webAclId: props.webAclArn,
      domainNames: props.domainName ? [props.domainName] : undefined,
      certificate: props.certificate,
      // Only meaningful with a custom certificate (the default one is fixed by CloudFront).
      minimumProtocolVersion: props.certificate
        ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021
        : undefined,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: "cloudfront/",
    });

    // The OAC grant covers the whole media bucket; originals under uploads/ must never be
    // served, even if a behavior were misrouted, so deny CloudFront everything but media/.
    props.mediaBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "CloudFrontServesMediaPrefixOnly",
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal("cloudfront.amazonaws.com")],
        actions: ["s3:GetObject"],
        notResources: [props.mediaBucket.arnForObjects("media/*")],
      }),
    );

    this.publicOrigin = `https://${props.domainName ?? this.distribution.distributionDomainName}`;

    Annotations.of(this).acknowledgeWarning(
      "@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk",
      "defaultRootObject is set and the viewer-request function rewrites every extension-less path, so no request reaches S3 as a bucket listing; LIST only turns missing pages into 404 instead of 403.",
    );
    acknowledge(
      this.distribution,
      "Members may watch from anywhere; access is controlled by sign-in and signed cookies, not geography.",
      "AwsSolutions-CFR1",
    );
    if (!props.certificate) {
      acknowledge(
        this.distribution,
        "Without a custom domain CloudFront serves *.cloudfront.net with its default certificate, whose minimum protocol cannot be raised; set domainName/certificateArn to get TLSv1.2_2021.",
        "AwsSolutions-CFR4",
      );
    }
    if (!props.api.originDomainName) {
      acknowledge(
        this.distribution,
        "The ALB has no certificate until originDomainName/originCertificateArn are configured; the HTTP hop is restricted to CloudFront's origin-facing prefix list and the X-Origin-Verify secret header.",
        "AwsSolutions-CFR5",
      );
    }
  }
}
