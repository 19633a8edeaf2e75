import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { render, resourceId, synthesize, TEST_CONTEXT, type Synthesized } from "./synth";

interface Container {
  Name: string;
  Command?: string[];
  Environment: { Name: string; Value: unknown }[];
  Secrets: { Name: string; ValueFrom: unknown }[];
  PortMappings?: { ContainerPort: number }[];
  Image: unknown;
}

interface ScalingPolicy {
  TargetTrackingScalingPolicyConfiguration?: {
    PredefinedMetricSpecification?: { PredefinedMetricType: string };
  };
}

let s: Synthesized;
let api: Container;
let worker: Container;

function container(prefix: string): Container {
  const id = resourceId(s, "AWS::ECS::TaskDefinition", prefix);
  return (s.json.Resources[id]!.Properties!.ContainerDefinitions as Container[])[0]!;
}

const envOf = (c: Container) =>
  Object.fromEntries(c.Environment.map((e) => [e.Name, render(e.Value)]));
const secretsOf = (c: Container) =>
  Object.fromEntries(c.Secrets.map((e) => [e.Name, render(e.ValueFrom)]));

beforeAll(() => {
  s = synthesize();
  api = container("ApiTask");
  worker = container("WorkerTask");
});

describe("containers", () => {
  it("run one image for both services", () => {
    expect(render(api.Image)).toBe(render(worker.Image));
    expect(render(api.Image)).toMatch(/cdk-hnb659fds-container-assets/);
  });

  it("start the worker with the tsx command and the API with the image's default", () => {
    expect(worker.Command).toEqual([
      "npx",
      "tsx",
      "--conditions=react-server",
      "scripts/worker.ts",
    ]);
    expect(api.Command).toBeUndefined();
    expect(api.PortMappings).toEqual([expect.objectContaining({ ContainerPort: 3000 })]);
  });

  it("get every lib/env.ts setting production needs", () => {
    for (const c of [api, worker]) {
      const env = envOf(c);
      expect(env).toMatchObject({
        PORT: "3000",
        STORAGE_DRIVER: "s3",
        AWS_REGION: "us-east-1",
        CLOUDFRONT_PRIVATE_KEY_PARAMETER: TEST_CONTEXT.privateKeyParameterName,
        ADMIN_EMAIL: TEST_CONTEXT.adminEmail,
        SIGNED_COOKIE_TTL_SECONDS: "600",
        MAX_STREAMS_PER_MEMBER: "3",
      });
      expect(env.AUTH_URL).toMatch(/^https:\/\/<CdnDistribution\w+\.DomainName>$/);
      expect(env.MEDIA_BUCKET).toMatch(/^<MediaBucket\w+>$/);
      expect(env.CLOUDFRONT_KEY_PAIR_ID).toMatch(/^<SigningKeysKey/);
      expect(env.ADMIN_ALLOWED_CIDRS).toBe(
        [...TEST_CONTEXT.adminIpv4Cidrs, ...TEST_CONTEXT.adminIpv6Cidrs].join(","),
      );
    }
  });

  it("get secrets from Secrets Manager, never as plain environment", () => {
    for (const c of [api, worker]) {
      const secrets = secretsOf(c);
      expect(Object.keys(secrets).sort()).toEqual(
        [
          "AUTH_SECRET",
          "DB_HOST",
          "DB_NAME",
          "DB_PASSWORD",
          "DB_PORT",
          "DB_USER",
          "ORIGIN_VERIFY_SECRET",
        ].sort(),
      );
      expect(secrets.AUTH_SECRET).toMatch(/^<SecretsAuthSecret\w+>$/);
      expect(secrets.DB_PASSWORD).toMatch(/^<DatabaseInstanceSecretAttachment\w+>:password::$/);
      const env = envOf(c);
      for (const name of ["AUTH_SECRET", "ORIGIN_VERIFY_SECRET", "DATABASE_URL", "DB_PASSWORD"]) {
        expect(env[name], name).toBeUndefined();
      }
    }
  });
});

describe("services and scaling", () => {
  it("register the API in the ALB target group, health-checked on /api/health", () => {
    s.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", {
      HealthCheckPath: "/api/health",
      Port: 3000,
      TargetType: "ip",
    });
    s.template.hasResourceProperties("AWS::ECS::Service", {
      LoadBalancers: [Match.objectLike({ ContainerName: "api", ContainerPort: 3000 })],
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
    });
  });

  it("scale the API and the worker on CPU", () => {
    const cpuPolicies = Object.values(s.json.Resources).filter(
      (r) =>
        r.Type === "AWS::ApplicationAutoScaling::ScalingPolicy" &&
        (r.Properties as ScalingPolicy).TargetTrackingScalingPolicyConfiguration
          ?.PredefinedMetricSpecification?.PredefinedMetricType ===
          "ECSServiceAverageCPUUtilization",
    );
    expect(cpuPolicies).toHaveLength(2);
  });

  it("scale the worker on the Reelgate/QueueDepth metric of its stage", () => {
    s.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "Reelgate",
      MetricName: "QueueDepth",
      Dimensions: [{ Name: "Stage", Value: "prod" }],
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    s.template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalingPolicy", {
      PolicyType: "StepScaling",
      StepScalingPolicyConfiguration: Match.objectLike({ AdjustmentType: "ChangeInCapacity" }),
    });
  });
});

describe("database", () => {
  it("is encrypted, private, Multi-AZ and protected in production", () => {
    s.template.hasResourceProperties("AWS::RDS::DBInstance", {
      Engine: "postgres",
      StorageEncrypted: true,
      PubliclyAccessible: false,
      MultiAZ: true,
      DeletionProtection: true,
    });
  });

  it("keeps its generated credentials in Secrets Manager, URL-safe", () => {
    s.template.hasResourceProperties("AWS::SecretsManager::Secret", {
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: JSON.stringify({ username: "reelgate" }),
        ExcludeCharacters: Match.stringLikeRegexp("@"),
      }),
    });
  });

  it("accepts connections only from the API and worker tasks", () => {
    const dbSg = resourceId(s, "AWS::EC2::SecurityGroup", "DatabaseInstanceSecurityGroup");
    const sources = Object.values(s.json.Resources)
      .filter(
        (r) =>
          r.Type === "AWS::EC2::SecurityGroupIngress" &&
          render(r.Properties!.GroupId) === `<${dbSg}.GroupId>`,
      )
      .map((r) => render(r.Properties!.SourceSecurityGroupId));
    expect(sources.sort()).toEqual([
      expect.stringMatching(/^<ApiServiceSecurityGroup/),
      expect.stringMatching(/^<WorkerServiceSecurityGroup/),
    ]);
  });
});
