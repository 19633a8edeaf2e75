import { Stack } from "aws-cdk-lib";
import type * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import type * as iam from "aws-cdk-lib/aws-iam";
import type * as s3 from "aws-cdk-lib/aws-s3";
import * as s3deploy from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { acknowledge, wildcardFindingsOf } from "./nag";

/** Props for {@link SiteDeployment}. */
export interface SiteDeploymentProps {
  /** The static export folder (`out/`), which must exist at synth time. */
  readonly sourceDir: string;
  readonly bucket: s3.IBucket;
  /** Invalidated after the upload so new HTML shows at once. */
  readonly distribution: cloudfront.IDistribution;
}

/**
 * Uploads the static export to the site bucket, deletes files the new export no longer
 * has, and invalidates the distribution. The export holds no secret (DESIGN section 2).
 */
export class SiteDeployment extends Construct {
  readonly deployment: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: SiteDeploymentProps) {
    super(scope, id);
    this.deployment = new s3deploy.BucketDeployment(this, "Upload", {
      sources: [s3deploy.Source.asset(props.sourceDir)],
      destinationBucket: props.bucket,
      distribution: props.distribution,
      distributionPaths: ["/*"],
      prune: true,
      memoryLimit: 512,
    });

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
