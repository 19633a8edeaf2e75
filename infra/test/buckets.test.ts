import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { SITE_CACHE_CONTROL } from "../../edge/security-headers";
import { render, resourceId, synthesize, type Synthesized } from "./synth";

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

let s: Synthesized;
let site: string;
let media: string;

function policyOf(bucketId: string): Statement[] {
  const policies = Object.values(s.json.Resources).filter(
    (r) =>
      r.Type === "AWS::S3::BucketPolicy" &&
      (r.Properties!.Bucket as { Ref: string }).Ref === bucketId,
  );
  expect(policies).toHaveLength(1);
  return (policies[0]!.Properties!.PolicyDocument as { Statement: Statement[] }).Statement;
}

beforeAll(() => {
  s = synthesize();
  site = resourceId(s, "AWS::S3::Bucket", "SiteBucket");
  media = resourceId(s, "AWS::S3::Bucket", "MediaBucket");
});

describe("site and media buckets", () => {
  it.each(["site", "media"])("%s bucket blocks all public access and encrypts at rest", (name) => {
    const id = name === "site" ? site : media;
    expect(s.json.Resources[id]!.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
        ],
      },
    });
  });

  it("versions the media bucket", () => {
    expect(s.json.Resources[media]!.Properties!.VersioningConfiguration).toEqual({
      Status: "Enabled",
    });
  });

  it.each(["site", "media"])("%s bucket denies any request not over TLS", (name) => {
    const statements = policyOf(name === "site" ? site : media);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "s3:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
  });

  it.each(["site", "media"])(
    "%s bucket allows nobody but this distribution (no public Allow)",
    (name) => {
      const statements = policyOf(name === "site" ? site : media).filter(
        (st) => st.Effect === "Allow",
      );
      expect(statements.length).toBeGreaterThan(0);
      for (const st of statements) {
        expect(st.Principal).toEqual({ Service: "cloudfront.amazonaws.com" });
        expect(render(st.Condition?.StringEquals?.["AWS:SourceArn"])).toMatch(
          /:distribution\/<CdnDistribution\w+>$/,
        );
      }
    },
  );

  it("lets CloudFront read only media/ in the media bucket, never uploads/", () => {
    const deny = policyOf(media).find((st) => st.Sid === "CloudFrontServesMediaPrefixOnly");
    expect(deny).toMatchObject({
      Effect: "Deny",
      Principal: { Service: "cloudfront.amazonaws.com" },
      Action: "s3:GetObject",
    });
    expect(render(deny!.NotResource)).toBe(`<${media}.Arn>/media/*`);
  });

  it("writes server access logs for both buckets", () => {
    const logs = resourceId(s, "AWS::S3::Bucket", "AccessLogs");
    for (const id of [site, media]) {
      expect(s.json.Resources[id]!.Properties!.LoggingConfiguration).toMatchObject({
        DestinationBucketName: { Ref: logs },
      });
    }
  });

  it("uploads the static export with an invalidation", () => {
    s.template.hasResourceProperties("Custom::CDKBucketDeployment", {
      DestinationBucketName: { Ref: site },
      DistributionPaths: ["/*"],
      DistributionId: Match.anyValue(),
    });
  });

  it("stores each site file's Cache-Control: hashed assets first, kept; then the rest", () => {
    const uploads = Object.entries(s.json.Resources).filter(
      ([, r]) =>
        r.Type === "Custom::CDKBucketDeployment" &&
        (r.Properties!.DestinationBucketName as { Ref: string }).Ref === site,
    );
    expect(uploads).toHaveLength(2);
    const hashed = uploads.find(([, r]) => r.Properties!.Include !== undefined)!;
    const rest = uploads.find(([, r]) => r.Properties!.Include === undefined)!;
    expect(hashed[1].Properties).toMatchObject({
      Include: ["_next/static/*"],
      Exclude: ["*"],
      Prune: false,
      SystemMetadata: { "cache-control": SITE_CACHE_CONTROL.hashed },
    });
    // No invalidation for new names; old ones stay for tabs still on the last release.
    expect(hashed[1].Properties!.DistributionId).toBeUndefined();
    expect(rest[1].Properties).toMatchObject({
      Exclude: ["_next/static/*"],
      Prune: true,
      SystemMetadata: { "cache-control": SITE_CACHE_CONTROL.other },
    });
    expect((rest[1] as { DependsOn?: string[] }).DependsOn).toContain(hashed[0]);
  });
});
