import { Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { MEDIA_PREFIXES } from "./media-bucket";
import { acknowledge, wildcardResourceFinding } from "./nag";

/** Props for {@link AppTaskRole}. */
export interface AppTaskRoleProps {
  readonly mediaBucket: s3.IBucket;
  /** SSM SecureString with the CloudFront private key, e.g. /reelgate/prod/cloudfront-private-key. */
  readonly privateKeyParameterName: string;
  /** Customer managed key of that parameter; undefined = the AWS managed `aws/ssm` key. */
  readonly privateKeyKmsKeyArn?: string;
  /** CloudWatch namespace the worker publishes QueueDepth into. */
  readonly metricNamespace: string;
}

/**
 * The one role the API and worker containers run as (no access keys anywhere).
 * Exactly: read the one private-key parameter and decrypt it through SSM only; read and
 * write `uploads/*` and `media/*` in the media bucket (list only under those prefixes);
 * publish metrics in the app's own namespace. Nothing else.
 */
export class AppTaskRole extends Construct {
  readonly role: iam.Role;
  /** ARN of the private-key parameter, as granted. */
  readonly privateKeyParameterArn: string;

  constructor(scope: Construct, id: string, props: AppTaskRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (!props.privateKeyParameterName.startsWith("/")) {
      throw new Error("privateKeyParameterName must start with / (its ARN is parameter<name>)");
    }
    this.privateKeyParameterArn = stack.formatArn({
      service: "ssm",
      resource: "parameter",
      resourceName: props.privateKeyParameterName.slice(1),
    });
    const kmsKeyArn =
      props.privateKeyKmsKeyArn ??
      stack.formatArn({ service: "kms", resource: "key", resourceName: "*" });
    const prefixes = Object.values(MEDIA_PREFIXES);
    const objectArns = prefixes.map((p) => props.mediaBucket.arnForObjects(`${p}*`));
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
      description: "Reelgate API and worker containers",
    });

    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: "ReadCloudFrontPrivateKey",
        actions: ["ssm:GetParameter"],
        resources: [this.privateKeyParameterArn],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: "DecryptCloudFrontPrivateKeyViaSsm",
        actions: ["kms:Decrypt"],
        // The aws/ssm key's ID is not known before deployment, hence key/* for it; the
        // conditions pin the use to SSM decrypting this one parameter.
        resources: [kmsKeyArn],
        conditions: {
          StringEquals: {
            "kms:ViaService": `ssm.${stack.region}.amazonaws.com`,
            "kms:EncryptionContext:PARAMETER_ARN": this.privateKeyParameterArn,
          },
        },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: "MediaObjects",
        actions: [
          "s3:GetObject",
          "s3:PutObject",
          "s3:DeleteObject",
          "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts",
        ],
        resources: objectArns,
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: "ListMediaPrefixes",
        actions: ["s3:ListBucket"],
        resources: [props.mediaBucket.bucketArn],
        conditions: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: "PublishAppMetrics",
        actions: ["cloudwatch:PutMetricData"],
        // PutMetricData has no resource type; the namespace condition is the scope.
        resources: ["*"],
        conditions: { StringEquals: { "cloudwatch:namespace": props.metricNamespace } },
      }),
    );

    const policy = this.role.node.findChild("DefaultPolicy");
    acknowledge(
      policy,
      "Object keys under the app's own prefixes (uploads/*, media/*) are generated per video; the wildcard stops at the prefix.",
      ...objectArns.map((arn) => wildcardResourceFinding(this, arn)),
    );
    acknowledge(
      policy,
      "cloudwatch:PutMetricData supports no resource-level permission; the statement is limited to the app's namespace by condition.",
      "AwsSolutions-IAM5[Resource::*]",
    );
    if (!props.privateKeyKmsKeyArn) {
      acknowledge(
        policy,
        "The AWS managed aws/ssm key's ID is unknown before deployment; kms:ViaService=ssm and the PARAMETER_ARN encryption context limit Decrypt to SSM reading the one key parameter.",
        wildcardResourceFinding(this, kmsKeyArn),
      );
    }
  }
}
