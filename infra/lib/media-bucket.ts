import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";

/** Props for {@link MediaBucket}. */
export interface MediaBucketProps {
  /** Where S3 server access logs go. */
  readonly accessLogsBucket: s3.IBucket;
  /** Originals and renditions are not rebuildable: RETAIN in production. */
  readonly removalPolicy: RemovalPolicy;
  /** Days a deleted or overwritten object version is kept (undo window). */
  readonly noncurrentVersionDays?: number;
}

/** Key prefixes the app uses; the task role is limited to exactly these. */
export const MEDIA_PREFIXES = {
  /** Originals, written by the upload API and read by the worker; never served. */
  uploads: "uploads/",
  /** HLS renditions and posters, served under `/media/*` with signed cookies. */
  media: "media/",
} as const;

/**
 * Private, versioned bucket for uploads and HLS renditions. Reached by viewers only
 * through the distribution (Origin Access Control, trusted key group); no public
 * access, TLS only, SSE-S3.
 */
export class MediaBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: MediaBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, "Bucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: "s3/media/",
      lifecycleRules: [
        // Resumable uploads that were never completed still cost storage for their parts.
        // ABANDONED_UPLOAD_DAYS in lib/uploads/service.ts removes the records on the same day.
        { abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays ?? 30) },
      ],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    });
  }
}
