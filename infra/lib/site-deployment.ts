import { Stack } from "aws-cdk-lib";
import type * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import type * as iam from "aws-cdk-lib/aws-iam";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as s3deploy from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { SITE_CACHE_CONTROL } from "../../edge/security-headers";
import { acknowledge, wildcardFindingsOf } from "./nag";

/** Where the export keeps its content-hashed files (the `/_next/static/*` behavior). */
const HASHED_PREFIX = "_next/static/";

/** Props for {@link SiteDeployment}. */
export interface SiteDeploymentProps {
  /** The static export folder (`out/`), which must exist at synth time. */
  readonly sourceDir: string;
  readonly bucket: s3.IBucket;
  /** Invalidated after the upload so new HTML shows at once. */
  readonly distribution: cloudfront.IDistribution;
}

/**
 * Uploads the static export to the site bucket in two steps, and invalidates the
 * distribution. The export holds no secret (DESIGN section 2).
 *
 * 1. `Assets`: the content-hashed files under `_next/static/`, stored with a year-long
 *    immutable Cache-Control. Old ones are kept (no prune): a member whose tab still
 *    shows the previous release loads that release's chunks when navigating.
 * 2. `Upload` (after 1, so no page names a chunk not yet there): everything else,
 *    revalidated on every use, pruning the pages the new export no longer has.
 *
 * Each file carries its own Cache-Control (edge/security-headers.ts SITE_CACHE_CONTROL),
 * so a 404 for a missing chunk is never marked immutable.
 */
export class SiteDeployment extends Construct {
  readonly deployment: s3deploy.BucketDeployment;
  readonly assets: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: SiteDeploymentProps) {
    super(scope, id);
    const source = s3deploy.Source.asset(props.sourceDir);
    this.assets = new s3deploy.BucketDeployment(this, "Assets", {
      sources: [source],
      destinationBucket: props.bucket,
      exclude: ["*"],
      include: [`${HASHED_PREFIX}*`],
      cacheControl: [s3deploy.CacheControl.fromString(SITE_CACHE_CONTROL.hashed)],
      prune: false,
      memoryLimit: 512,
    });
    this.deployment = new s3deploy.BucketDeployment(this, "Upload", {
      sources: [source],
      destinationBucket: props.bucket,
      // Excluded files are neither uploaded nor pruned here.
      exclude: [`${HASHED_PREFIX}*`],
      cacheControl: [s3deploy.CacheControl.fromString(SITE_CACHE_CONTROL.other)],
      distribution: props.distribution,
      distributionPaths: ["/*"],
      prune: true,
      memoryLimit: 512,
    });
    this.deployment.node.addDependency(this.assets);

    // The upload runs in CDK's own singleton Lambda (a child of the stack, not of this
    // construct); its role and runtime are CDK's to choose.
    const role = this.deployment.handlerRole;
    const policy = role.node.tryFindChild("DefaultPolicy") as iam.Policy | undefined;
    if (policy) {
      acknowledge(
        policy,
        "CDK's BucketDeployment handler: reads its asset from the bootstrap bucket, writes and prunes the site bucket, and creates the invalidation (CloudFront has no resource-level permission for it).",
        ...wildcardFindingsOf(policy, this),
      );
    }
    acknowledge(
      role,
      "CDK's BucketDeployment handler logs through AWSLambdaBasicExecutionRole (CloudWatch Logs only).",
      "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
    );
    const handler = Stack.of(this).node.children.find((c) =>
      c.node.id.startsWith("Custom::CDKBucketDeployment"),
    );
    if (handler) {
      acknowledge(
        handler,
        "The runtime of CDK's BucketDeployment handler is pinned by aws-cdk-lib and moves with its upgrades.",
        "AwsSolutions-L1",
      );
    }
  }
}
