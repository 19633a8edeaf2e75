import { Duration } from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";

/** The app's CloudWatch metrics: written as EMF lines by lib/observability/emf.ts. */
export const APP_METRICS_NAMESPACE = "Reelgate";

/** Thresholds of {@link ReelgateAlarms}; the defaults suit both stages. */
export interface AlarmThresholds {
  /** Percent of API answers that are 5xx, over 5 minutes. Default 5. */
  readonly api5xxPercent?: number;
  /** p99 of the API's handler latency in ms, over 5 minutes. Default 2000. */
  readonly apiP99LatencyMs?: number;
  /** Age of the oldest claimable queued job in seconds. Default 900. */
  readonly queueAgeSeconds?: number;
  /** Percent of CloudFront answers that are 403, over 5 minutes. Default 10. */
  readonly edge403Percent?: number;
}

/** Props for {@link ReelgateAlarms}. */
export interface ReelgateAlarmsProps {
  /** The Stage dimension the API and worker tasks write their metrics with. */
  readonly stage: string;
  /** The distribution whose 403 rate is watched (its additional metrics are turned on). */
  readonly distribution: cloudfront.IDistribution;
  /** Where alarms go; without it a topic is made (subscribe to it after deploying). */
  readonly topicArn?: string;
  readonly thresholds?: AlarmThresholds;
}

/**
 * What wakes an operator: the API's 5xx rate and p99 latency, the age of the transcode
 * queue, jobs that failed for good, signing-key errors (SSM reads), and a spike of 403s
 * at CloudFront (an expiring key, a broken renewal, or someone probing). Each alarm and
 * its return to OK go to one SNS topic.
 */
export class ReelgateAlarms extends Construct {
  readonly topic: sns.ITopic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ReelgateAlarmsProps) {
    super(scope, id);
    const t = props.thresholds ?? {};
    this.topic = props.topicArn
      ? sns.Topic.fromTopicArn(this, "Topic", props.topicArn)
      : this.makeTopic();
    const period = Duration.minutes(5);
    const app = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: APP_METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { Stage: props.stage },
        statistic,
        period,
      });

    this.add("Api5xxRate", {
      metric: new cloudwatch.MathExpression({
        expression: "IF(requests > 0, 100 * errors / requests, 0)",
        usingMetrics: { errors: app("Errors5xx", "Sum"), requests: app("Requests", "Sum") },
        period,
        label: "API 5xx (%)",
      }),
      threshold: t.api5xxPercent ?? 5,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      alarmDescription:
        "More than the threshold of API answers were 5xx (EMF Errors5xx / Requests).",
    });
    this.add("ApiP99Latency", {
      metric: app("Latency", "p99"),
      threshold: t.apiP99LatencyMs ?? 2000,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      alarmDescription: "The API's p99 latency stayed over the threshold for 15 minutes.",
    });
    this.add("QueueAge", {
      metric: app("QueueAgeSeconds", "Maximum"),
      threshold: t.queueAgeSeconds ?? 900,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      alarmDescription: "An upload has waited longer than the threshold for a transcode worker.",
    });
    this.add("FailedJobs", {
      metric: app("JobsFailed", "Sum"),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription: "A transcode job failed for good (its video shows the reason).",
    });
    this.add("SignerErrors", {
      metric: app("SignerErrors", "Sum"),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription:
        "The API could not read the CloudFront private key from SSM (it signs with the cached key until it expires).",
    });

    // 403ErrorRate is one of CloudFront's additional metrics, on once per distribution.
    // CloudFront's metrics live in us-east-1 with Region=Global; the stack is there.
    new cloudfront.CfnMonitoringSubscription(this, "CdnMetrics", {
      distributionId: props.distribution.distributionId,
      monitoringSubscription: {
        realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: "Enabled" },
      },
    });
    this.add("Edge403Spike", {
      metric: new cloudwatch.Metric({
        namespace: "AWS/CloudFront",
        metricName: "403ErrorRate",
        dimensionsMap: { DistributionId: props.distribution.distributionId, Region: "Global" },
        statistic: "Average",
        period,
      }),
      threshold: t.edge403Percent ?? 10,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      alarmDescription:
        "A spike of 403s at CloudFront: expired or bad media credentials, or the WAF refusing.",
    });
  }

  private add(
    id: string,
    props: Omit<cloudwatch.AlarmProps, "treatMissingData" | "comparisonOperator"> & {
      comparisonOperator?: cloudwatch.ComparisonOperator;
    },
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // No data is no traffic (or no failure), not an outage.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  /** An encrypted topic CloudWatch may publish to (an AWS managed key would refuse it). */
  private makeTopic(): sns.Topic {
    const key = new kms.Key(this, "TopicKey", {
      enableKeyRotation: true,
      description: "Reelgate alarm topic",
    });
    key.grant(
      new iam.ServicePrincipal("cloudwatch.amazonaws.com"),
      "kms:Decrypt",
      "kms:GenerateDataKey*",
    );
    return new sns.Topic(this, "Topic", {
      masterKey: key,
      enforceSSL: true,
      displayName: "Reelgate alarms",
    });
  }
}
