import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { acknowledge } from "./nag";

/** Props for {@link AccessLogsBucket}. */
export interface AccessLogsBucketProps {
  /** Days to keep access logs. */
  readonly retentionDays: number;
  /** RETAIN in production; DESTROY (with its objects) for previews. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Destination for S3 server access logs, CloudFront standard logs and ALB access logs.
 * SSE-S3 because ALB log delivery cannot write to KMS-encrypted buckets; ACLs stay
 * enabled (BucketOwnerPreferred) because CloudFront standard logging writes with ACLs.
 */
export class AccessLogsBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogsBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, "Bucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.retentionDays) }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.bucket,
      "This is the access-log bucket; logging it into itself would loop and another log bucket would only move the question.",
      "AwsSolutions-S1",
    );
  }
}
