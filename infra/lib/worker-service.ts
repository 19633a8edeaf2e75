import { Duration } from "aws-cdk-lib";
import * as appscaling from "aws-cdk-lib/aws-applicationautoscaling";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecs from "aws-cdk-lib/aws-ecs";
import { Construct } from "constructs";
import { addAppContainer, type AppContainerSettings } from "./app-container";
import { acknowledge } from "./nag";

/** Props for {@link WorkerService}. */
export interface WorkerServiceProps {
  readonly cluster: ecs.ICluster;
  readonly settings: AppContainerSettings;
  readonly cpu: number;
  readonly memoryMiB: number;
  /** Disk for originals and renditions in flight (21 GiB is Fargate's floor). */
  readonly ephemeralStorageGiB: number;
  readonly minTasks: number;
  readonly maxTasks: number;
  /** Jobs waiting or running; published by the app (see {@link queueDepthMetric}). */
  readonly queueDepth: cloudwatch.IMetric;
}

/** The worker's command: the same image, the transcode loop instead of the server. */
export const WORKER_COMMAND = ["npx", "tsx", "--conditions=react-server", "scripts/worker.ts"];

/** Namespace and name of the queue-depth metric the app publishes. */
export const QUEUE_DEPTH_METRIC = { namespace: "Reelgate", metricName: "QueueDepth" } as const;

/**
 * `Reelgate/QueueDepth` with dimension `Stage`: the number of transcode jobs queued or
 * running, published about once a minute by the app (DEPLOY.md, "Scaling").
 */
export function queueDepthMetric(stage: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    ...QUEUE_DEPTH_METRIC,
    dimensionsMap: { Stage: stage },
    statistic: "Maximum",
    period: Duration.minutes(1),
  });
}

/**
 * The transcode worker (ffmpeg) on Fargate, no inbound traffic. Jobs are claimed with
 * row locks, so any number of workers can run: it scales on queue depth and on CPU.
 */
export class WorkerService extends Construct {
  readonly service: ecs.FargateService;

  constructor(scope: Construct, id: string, props: WorkerServiceProps) {
    super(scope, id);
    const taskDefinition = new ecs.FargateTaskDefinition(this, "Task", {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      ephemeralStorageGiB: props.ephemeralStorageGiB,
      taskRole: props.settings.taskRole,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    addAppContainer(taskDefinition, "worker", props.settings, {
      command: WORKER_COMMAND,
      // The most Fargate allows: time to hand the job lease back on scale-in.
      stopTimeout: Duration.seconds(120),
    });

    this.service = new ecs.FargateService(this, "Service", {
      cluster: props.cluster,
      taskDefinition,
      desiredCount: props.minTasks,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
    });

    const scaling = this.service.autoScaleTaskCount({
      minCapacity: props.minTasks,
      maxCapacity: props.maxTasks,
    });
    scaling.scaleOnCpuUtilization("Cpu", {
      targetUtilizationPercent: 75,
      scaleInCooldown: Duration.minutes(10),
      scaleOutCooldown: Duration.minutes(2),
    });
    scaling.scaleOnMetric("QueueDepth", {
      metric: props.queueDepth,
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      scalingSteps: [
        { upper: 0, change: -1 },
        { lower: 3, change: +1 },
        { lower: 10, change: +2 },
      ],
      cooldown: Duration.minutes(3),
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
