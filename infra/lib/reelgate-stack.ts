import {
  Annotations,
  CfnOutput,
  IgnoreMode,
  RemovalPolicy,
  Stack,
  type StackProps,
} from "aws-cdk-lib";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as ecs from "aws-cdk-lib/aws-ecs";
import { DockerImageAsset, Platform } from "aws-cdk-lib/aws-ecr-assets";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { AccessLogsBucket } from "./access-logs-bucket";
import { AdminWebAcl } from "./admin-web-acl";
import { ApiLoadBalancer } from "./api-load-balancer";
import { ApiService } from "./api-service";
import { API_PORT, appContainerConfig, type AppContainerSettings } from "./app-container";
import { AppSecrets } from "./app-secrets";
import { AppTaskRole } from "./app-task-role";
import type { ReelgateConfig } from "./config";
import { Database } from "./database";
import { MediaBucket } from "./media-bucket";
import { Network } from "./network";
import { ReelgateDistribution } from "./reelgate-distribution";
import { SigningKeyGroup } from "./signing-key-group";
import { SiteBucket } from "./site-bucket";
import { SiteDeployment } from "./site-deployment";
import { QUEUE_DEPTH_METRIC, queueDepthMetric, WorkerService } from "./worker-service";

/** Props for {@link ReelgateStack}. */
export interface ReelgateStackProps extends StackProps {
  readonly config: ReelgateConfig;
  /** Repository root: the Docker build context (root Dockerfile). */
  readonly repoRoot: string;
  /** The CloudFront Function file shared with the preview edge. */
  readonly viewerRequestFunctionFile: string;
  /** Overrides the image built from the repo (tests use a registry image to skip staging). */
  readonly image?: ecs.ContainerImage;
}

/** Production (or one preview stage) of Reelgate: wiring only; each piece is its own construct. */
export class ReelgateStack extends Stack {
  constructor(scope: Construct, id: string, props: ReelgateStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = config.sizing.logRetentionDays as logs.RetentionDays;

    const accessLogs = new AccessLogsBucket(this, "AccessLogs", {
      retentionDays: config.sizing.logRetentionDays,
      removalPolicy,
    });
    const site = new SiteBucket(this, "Site", {
      accessLogsBucket: accessLogs.bucket,
      removalPolicy: config.isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const media = new MediaBucket(this, "Media", {
      accessLogsBucket: accessLogs.bucket,
      removalPolicy,
    });
    const keys = new SigningKeyGroup(this, "SigningKeys", {
      publicKeys: config.publicKeys,
      activeKeyId: config.activeKeyId,
    });
    const waf = new AdminWebAcl(this, "Waf", {
      adminIpv4Cidrs: config.adminIpv4Cidrs,
      adminIpv6Cidrs: config.adminIpv6Cidrs,
      signInRateLimit: config.signInRateLimit,
      metricPrefix: `Reelgate-${config.stage}-`,
    });
    const secrets = new AppSecrets(this, "Secrets", {
      namePrefix: `/reelgate/${config.stage}/`,
      removalPolicy,
    });

    const network = new Network(this, "Network", {
      natGateways: config.sizing.natGateways,
      flowLogRetention: logRetention,
    });
    const database = new Database(this, "Database", {
      vpc: network.vpc,
      instanceType: config.sizing.dbInstanceType,
      allocatedStorageGiB: config.sizing.dbAllocatedStorageGiB,
      multiAz: config.sizing.dbMultiAz,
      isProduction: config.isProduction,
    });
    const originVerifyValue = secrets.originVerifySecret.secretValue.unsafeUnwrap();
    const alb = new ApiLoadBalancer(this, "ApiLoadBalancer", {
      vpc: network.vpc,
      cloudFrontPrefixListId: config.cloudFrontPrefixListId,
      originVerifySecret: originVerifyValue,
      certificate: config.originCertificateArn
        ? acm.Certificate.fromCertificateArn(this, "OriginCertificate", config.originCertificateArn)
        : undefined,
      accessLogsBucket: accessLogs.bucket,
      targetPort: API_PORT,
      healthCheckPath: "/api/health",
      deletionProtection: config.isProduction,
    });

    const cdn = new ReelgateDistribution(this, "Cdn", {
      siteBucket: site.bucket,
      mediaBucket: media.bucket,
      api: {
        loadBalancer: alb.loadBalancer,
        originDomainName: config.originDomainName,
        originVerifySecret: originVerifyValue,
      },
      trustedKeyGroup: keys.keyGroup,
      webAclArn: waf.webAcl.attrArn,
      viewerRequestFunctionFile: props.viewerRequestFunctionFile,
      logBucket: accessLogs.bucket,
      domainName: config.domainName,
      certificate: config.certificateArn
        ? acm.Certificate.fromCertificateArn(this, "Certificate", config.certificateArn)
        : undefined,
    });

    const taskRole = new AppTaskRole(this, "TaskRole", {
      mediaBucket: media.bucket,
      privateKeyParameterName: config.privateKeyParameterName,
      privateKeyKmsKeyArn: config.privateKeyKmsKeyArn,
      metricNamespace: QUEUE_DEPTH_METRIC.namespace,
    });
    const cluster = new ecs.Cluster(this, "Cluster", {
      vpc: network.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const settings: AppContainerSettings = {
      image:
        props.image ??
        // One asset, one image for both services.
        ecs.ContainerImage.fromDockerImageAsset(
          new DockerImageAsset(this, "AppImage", {
            directory: props.repoRoot,
            platform: Platform.LINUX_AMD64,
            ignoreMode: IgnoreMode.DOCKER,
          }),
        ),
      taskRole: taskRole.role,
      logGroup: new logs.LogGroup(this, "AppLogs", { retention: logRetention, removalPolicy }),
      ...appContainerConfig({
        stage: config.stage,
        publicOrigin: cdn.publicOrigin,
        region: this.region,
        mediaBucketName: media.bucket.bucketName,
        cloudFrontKeyPairId: keys.activeKeyPairId,
        privateKeyParameterName: config.privateKeyParameterName,
        signedCookieTtlSeconds: config.signedCookieTtlSeconds,
        maxStreamsPerMember: config.maxStreamsPerMember,
        adminEmail: config.adminEmail,
        adminCidrs: [...config.adminIpv4Cidrs, ...config.adminIpv6Cidrs],
        authSecret: secrets.authSecret,
        originVerifySecret: secrets.originVerifySecret,
        databaseSecret: database.secret,
      }),
    };
    const api = new ApiService(this, "Api", {
      cluster,
      settings,
      cpu: config.sizing.apiCpu,
      memoryMiB: config.sizing.apiMemoryMiB,
      minTasks: config.sizing.apiMinTasks,
      maxTasks: config.sizing.apiMaxTasks,
      targetGroup: alb.targetGroup,
      loadBalancerSecurityGroup: alb.securityGroup,
    });
    const worker = new WorkerService(this, "Worker", {
      cluster,
      settings,
      cpu: config.sizing.workerCpu,
      memoryMiB: config.sizing.workerMemoryMiB,
      ephemeralStorageGiB: config.sizing.workerEphemeralGiB,
      minTasks: config.sizing.workerMinTasks,
      maxTasks: config.sizing.workerMaxTasks,
      queueDepth: queueDepthMetric(config.stage),
    });
    database.instance.connections.allowDefaultPortFrom(api.service, "API tasks");
    database.instance.connections.allowDefaultPortFrom(worker.service, "Worker tasks");

    if (config.siteDir) {
      new SiteDeployment(this, "SiteDeployment", {
        sourceDir: config.siteDir,
        bucket: site.bucket,
        distribution: cdn.distribution,
      });
    } else if (config.missingSiteDir) {
      Annotations.of(this).addWarningV2(
        "reelgate:site-not-built",
        `No static export at ${config.missingSiteDir}: the site bucket is left as is. Run \`npm run build:static\` before deploying.`,
      );
    }
    if (config.usingPlaceholderKey) {
      Annotations.of(this).addWarningV2(
        "reelgate:placeholder-signing-key",
        "No publicKeys in context: the key group trusts a placeholder key nobody can sign with, so /media/* answers 403. Run `npm run keys` (DEPLOY.md).",
      );
    }

    new CfnOutput(this, "PublicOrigin", {
      value: cdn.publicOrigin,
      description: "AUTH_URL; E2E_BASE_URL",
    });
    new CfnOutput(this, "DistributionId", { value: cdn.distribution.distributionId });
    new CfnOutput(this, "CloudFrontKeyPairId", {
      value: keys.activeKeyPairId,
      description: "CLOUDFRONT_KEY_PAIR_ID in use",
    });
    new CfnOutput(this, "LoadBalancerDnsName", {
      value: alb.loadBalancer.loadBalancerDnsName,
      description: "CNAME target for originDomainName (origin TLS)",
    });
    new CfnOutput(this, "MediaBucketName", { value: media.bucket.bucketName });
    new CfnOutput(this, "PrivateKeyParameterName", { value: config.privateKeyParameterName });
  }
}
