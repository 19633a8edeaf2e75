import { Duration } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecs from "aws-cdk-lib/aws-ecs";
import type * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import { Construct } from "constructs";
import { addAppContainer, API_PORT, type AppContainerSettings } from "./app-container";
import { acknowledge } from "./nag";

/** Props for {@link ApiService}. */
export interface ApiServiceProps {
  readonly cluster: ecs.ICluster;
  readonly settings: AppContainerSettings;
  /** Fargate CPU units and memory. */
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly minTasks: number;
  readonly maxTasks: number;
  /** The ALB target group the tasks register in. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The ALB's security group: the only source allowed to reach the tasks. */
  readonly loadBalancerSecurityGroup: ec2.ISecurityGroup;
}

/**
 * The Next.js standalone server (route handlers under /api/*) on Fargate behind the
 * ALB. Stateless (JWT sessions), so it scales out on CPU; a failed deployment rolls
 * back by itself (circuit breaker).
 */
export class ApiService extends Construct {
  readonly service: ecs.FargateService;

  constructor(scope: Construct, id: string, props: ApiServiceProps) {
    super(scope, id);
    const taskDefinition = new ecs.FargateTaskDefinition(this, "Task", {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      taskRole: props.settings.taskRole,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    addAppContainer(taskDefinition, "api", props.settings, {
      portMappings: [{ containerPort: API_PORT, protocol: ecs.Protocol.TCP }],
    });

    this.service = new ecs.FargateService(this, "Service", {
      cluster: props.cluster,
      taskDefinition,
      desiredCount: props.minTasks,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(90),
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
    });
    this.service.connections.allowFrom(
      props.loadBalancerSecurityGroup,
      ec2.Port.tcp(API_PORT),
      "ALB to API",
    );
    this.service.attachToApplicationTargetGroup(props.targetGroup);

    const scaling = this.service.autoScaleTaskCount({
      minCapacity: props.minTasks,
      maxCapacity: props.maxTasks,
    });
    scaling.scaleOnCpuUtilization("Cpu", {
      targetUtilizationPercent: 60,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(1),
    });

    acknowledge(
      taskDefinition,
      "Only non-secret settings are plain environment variables; AUTH_SECRET, ORIGIN_VERIFY_SECRET and the DB credentials come from Secrets Manager through `secrets`.",
      "AwsSolutions-ECS2",
    );
    acknowledge(
      taskDefinition.obtainExecutionRole(),
      "CDK's execution-role grant: ecr:GetAuthorizationToken has no resource-level permission (the image pull itself is scoped to the asset repository).",
      "AwsSolutions-IAM5[Resource::*]",
    );
  }
}
