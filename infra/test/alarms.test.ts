import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { awsSolutionsChecks } from "../lib/nag";
import { logicalIds, synthesize, type Synthesized } from "./synth";

// The alarms of infra/lib/alarms.ts: each on the metric the app writes (EMF, namespace
// Reelgate, dimension Stage) or on CloudFront's, each to the SNS topic of the config.

interface AlarmProps {
  AlarmName?: string;
  MetricName?: string;
  Namespace?: string;
  ExtendedStatistic?: string;
  Statistic?: string;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData: string;
  AlarmActions: unknown[];
  OKActions: unknown[];
  Metrics?: { Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
  Dimensions?: { Name: string; Value: unknown }[];
}

function alarms(s: Synthesized): Record<string, AlarmProps> {
  return Object.fromEntries(
    logicalIds(s, "AWS::CloudWatch::Alarm")
      .filter((id) => id.startsWith("Alarms"))
      .map((id) => [
        id.replace(/^Alarms/, "").replace(/[0-9A-F]{8}$/, ""),
        s.json.Resources[id]!.Properties as unknown as AlarmProps,
      ]),
  );
}

const TOPIC = "arn:aws:sns:us-east-1:123456789012:reelgate-oncall";

describe("alarms", () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize({ alarmTopicArn: TOPIC });
  });

  it("cover the API's 5xx rate and p99, the queue's age, failed jobs, signer errors and edge 403s", () => {
    const a = alarms(s);
    expect(Object.keys(a).sort()).toEqual([
      "Api5xxRate",
      "ApiP99Latency",
      "Edge403Spike",
      "FailedJobs",
      "QueueAge",
      "SignerErrors",
    ]);
    expect(a.ApiP99Latency).toMatchObject({
      Namespace: "Reelgate",
      MetricName: "Latency",
      ExtendedStatistic: "p99",
      Threshold: 2000,
      Dimensions: [{ Name: "Stage", Value: "prod" }],
    });
    expect(a.QueueAge).toMatchObject({ MetricName: "QueueAgeSeconds", Statistic: "Maximum" });
    expect(a.FailedJobs).toMatchObject({
      MetricName: "JobsFailed",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    expect(a.SignerErrors).toMatchObject({ MetricName: "SignerErrors", Statistic: "Sum" });
    const expression = a.Api5xxRate!.Metrics!.find((m) => m.Expression)!.Expression;
    expect(expression).toBe("IF(requests > 0, 100 * errors / requests, 0)");
    expect(
      a
        .Api5xxRate!.Metrics!.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : []))
        .sort(),
    ).toEqual(["Errors5xx", "Requests"]);
    expect(a.Edge403Spike).toMatchObject({
      Namespace: "AWS/CloudFront",
      MetricName: "403ErrorRate",
      Dimensions: expect.arrayContaining([{ Name: "Region", Value: "Global" }]) as unknown,
    });
    for (const [name, alarm] of Object.entries(a)) {
      expect(alarm.TreatMissingData, name).toBe("notBreaching");
      expect(alarm.AlarmActions, name).toEqual([TOPIC]);
      expect(alarm.OKActions, name).toEqual([TOPIC]);
    }
  });

  it("turn on CloudFront's additional metrics (403ErrorRate) for the distribution", () => {
    s.template.hasResourceProperties("AWS::CloudFront::MonitoringSubscription", {
      MonitoringSubscription: {
        RealtimeMetricsSubscriptionConfig: { RealtimeMetricsSubscriptionStatus: "Enabled" },
      },
    });
  });

  it("have the app write the metrics they watch", () => {
    s.template.hasResourceProperties("AWS::ECS::TaskDefinition", {
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({
          Environment: Match.arrayWith([
            { Name: "LOG_LEVEL", Value: "info" },
            { Name: "METRICS_EMF", Value: "1" },
          ]),
          LogConfiguration: Match.objectLike({ LogDriver: "awslogs" }),
        }),
      ]),
    });
  });

  it("go to an encrypted topic of their own when none is configured, cdk-nag clean", () => {
    const own = synthesize();
    expect(logicalIds(own, "AWS::SNS::Topic")).toHaveLength(1);
    own.template.hasResourceProperties("AWS::SNS::Topic", {
      KmsMasterKeyId: Match.anyValue(),
    });
    own.template.hasResourceProperties("AWS::KMS::Key", {
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: "cloudwatch.amazonaws.com" } }),
        ]),
      }),
    });
    const topic = logicalIds(own, "AWS::SNS::Topic")[0]!;
    for (const alarm of Object.values(alarms(own)))
      expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
    const report = awsSolutionsChecks().validateScope(own.stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it("refuse a topic ARN that is not one", () => {
    expect(() => synthesize({ alarmTopicArn: "reelgate-oncall" })).toThrow(/alarmTopicArn/);
  });
});
