import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

/** Props for {@link Network}. */
export interface NetworkProps {
  /** One NAT gateway is enough for egress to ECR/SSM/Secrets Manager; two survive an AZ loss. */
  readonly natGateways: number;
  readonly flowLogRetention: logs.RetentionDays;
}

/**
 * Two-AZ VPC: public subnets for the ALB only, private subnets (NAT egress) for the
 * Fargate tasks, isolated subnets for RDS. S3 traffic (media in and out of the worker)
 * takes a free gateway endpoint instead of the NAT.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, "Vpc", {
      maxAzs: 2,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: "app", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: "data", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 26 },
      ],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
      flowLogs: {
        rejected: {
          trafficType: ec2.FlowLogTrafficType.REJECT,
          destination: ec2.FlowLogDestination.toCloudWatchLogs(
            new logs.LogGroup(this, "FlowLogs", { retention: props.flowLogRetention }),
          ),
        },
      },
    });
  }
}
