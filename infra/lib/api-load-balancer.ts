import { Duration } from "aws-cdk-lib";
import type * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import type * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { ORIGIN_VERIFY_HEADER } from "./reelgate-distribution";

/** Props for {@link ApiLoadBalancer}. */
export interface ApiLoadBalancerProps {
  readonly vpc: ec2.IVpc;
  /** `com.amazonaws.global.cloudfront.origin-facing` managed prefix list ID. */
  readonly cloudFrontPrefixListId: string;
  /** Secret reference for the X-Origin-Verify value; requests without it get 403 here. */
  readonly originVerifySecret: string;
  /** With a certificate the listener is HTTPS:443, otherwise HTTP:80. */
  readonly certificate?: acm.ICertificate;
  readonly accessLogsBucket: s3.IBucket;
  /** The API container port. */
  readonly targetPort: number;
  readonly healthCheckPath: string;
  readonly deletionProtection: boolean;
}

/**
 * Internet-facing ALB in front of the API tasks, reachable only from CloudFront: the
 * security group admits the origin-facing prefix list alone, and the listener forwards
 * only requests carrying the X-Origin-Verify secret (defence in depth; the API checks
 * the same header against ORIGIN_VERIFY_SECRET).
 */
export class ApiLoadBalancer extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ApiLoadBalancerProps) {
    super(scope, id);
    const port = props.certificate ? 443 : 80;
    this.securityGroup = new ec2.SecurityGroup(this, "SecurityGroup", {
      vpc: props.vpc,
      description: "API ALB: CloudFront origin-facing addresses only",
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(
      ec2.Peer.prefixList(props.cloudFrontPrefixListId),
      ec2.Port.tcp(port),
      "CloudFront origin-facing prefix list",
    );

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, "Alb", {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection,
      // Long enough for an 8 MiB upload part over a slow link.
      idleTimeout: Duration.seconds(120),
    });
    this.loadBalancer.logAccessLogs(props.accessLogsBucket, "alb");

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, "ApiTargets", {
      vpc: props.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: props.targetPort,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: props.healthCheckPath,
        healthyHttpCodes: "200",
        interval: Duration.seconds(15),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });

    const listener = this.loadBalancer.addListener("Listener", {
      port,
      protocol: props.certificate
        ? elbv2.ApplicationProtocol.HTTPS
        : elbv2.ApplicationProtocol.HTTP,
      certificates: props.certificate ? [props.certificate] : undefined,
      sslPolicy: props.certificate ? elbv2.SslPolicy.RECOMMENDED_TLS : undefined,
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(403, {
        contentType: "application/json",
        messageBody: JSON.stringify({
          error: { code: "forbidden", message: "Use the public site" },
        }),
      }),
    });
    listener.addAction("FromCloudFront", {
      priority: 1,
      conditions: [
        elbv2.ListenerCondition.httpHeader(ORIGIN_VERIFY_HEADER, [props.originVerifySecret]),
      ],
      action: elbv2.ListenerAction.forward([this.targetGroup]),
    });
  }
}
