import { RemovalPolicy } from "aws-cdk-lib";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";

/** Props for {@link SiteBucket}. */
export interface SiteBucketProps {
  /** Where S3 server access logs go. */
  readonly accessLogsBucket: s3.IBucket;
  /** The export can be rebuilt from git, so previews use DESTROY; production RETAIN. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Private bucket for the static export (`out/`). Readable only by the distribution
 * through Origin Access Control; no public access, TLS only, SSE-S3.
 */
export class SiteBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SiteBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, "Bucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: "s3/site/",
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    });
  }
}
