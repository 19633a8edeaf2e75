import type { Duration } from "aws-cdk-lib";
import * as ecs from "aws-cdk-lib/aws-ecs";
import type * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";

/** The port the standalone API server listens on inside the container. */
export const API_PORT = 3000;

/** What the API and the worker containers share: one image, one role, one configuration. */
export interface AppContainerSettings {
  /** Built from the root Dockerfile. */
  readonly image: ecs.ContainerImage;
  readonly taskRole: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  /** Plain settings (lib/env.ts names). */
  readonly environment: Record<string, string>;
  /** Secrets injected by ECS at start (never in the task definition in clear). */
  readonly secrets: Record<string, ecs.Secret>;
}

/** Inputs for {@link appContainerConfig}. */
export interface AppContainerConfigProps {
  readonly stage: string;
  /** https origin members use: AUTH_URL. */
  readonly publicOrigin: string;
  readonly region: string;
  readonly mediaBucketName: string;
  readonly cloudFrontKeyPairId: string;
  readonly privateKeyParameterName: string;
  readonly signedCookieTtlSeconds: number;
  readonly maxStreamsPerMember: number;
  readonly adminEmail?: string;
  readonly adminCidrs: readonly string[];
  readonly authSecret: secretsmanager.ISecret;
  readonly originVerifySecret: secretsmanager.ISecret;
  /** RDS-generated secret with username, password, host, port, dbname. */
  readonly databaseSecret: secretsmanager.ISecret;
}

/**
 * The containers' environment, by lib/env.ts name. DATABASE_URL is not here: ECS can
 * only inject whole secrets or single JSON fields, so the DB_* fields are injected and
 * the image's entrypoint (infra/docker/entrypoint.sh) joins them into DATABASE_URL.
 */
export function appContainerConfig(
  props: AppContainerConfigProps,
): Pick<AppContainerSettings, "environment" | "secrets"> {
  const environment: Record<string, string> = {
    NODE_ENV: "production",
    PORT: String(API_PORT),
    // Next's standalone server binds to $HOSTNAME, which Fargate sets to the task's
    // private DNS name; bind all interfaces instead.
    HOSTNAME: "0.0.0.0",
    AUTH_URL: props.publicOrigin,
    AUTH_TRUST_HOST: "true",
    STORAGE_DRIVER: "s3",
    MEDIA_BUCKET: props.mediaBucketName,
    AWS_REGION: props.region,
    CLOUDFRONT_KEY_PAIR_ID: props.cloudFrontKeyPairId,
    CLOUDFRONT_PRIVATE_KEY_PARAMETER: props.privateKeyParameterName,
    SIGNED_COOKIE_TTL_SECONDS: String(props.signedCookieTtlSeconds),
    MAX_STREAMS_PER_MEMBER: String(props.maxStreamsPerMember),
    // WAF enforces the allow-list at the edge; the app's own check must agree with it.
    ADMIN_ALLOWED_CIDRS: props.adminCidrs.join(","),
    REELGATE_STAGE: props.stage,
    DATA_DIR: "/tmp/reelgate",
  };
  if (props.adminEmail) environment.ADMIN_EMAIL = props.adminEmail;

  const db = props.databaseSecret;
  return {
    environment,
    secrets: {
      AUTH_SECRET: ecs.Secret.fromSecretsManager(props.authSecret),
      ORIGIN_VERIFY_SECRET: ecs.Secret.fromSecretsManager(props.originVerifySecret),
      DB_HOST: ecs.Secret.fromSecretsManager(db, "host"),
      DB_PORT: ecs.Secret.fromSecretsManager(db, "port"),
      DB_NAME: ecs.Secret.fromSecretsManager(db, "dbname"),
      DB_USER: ecs.Secret.fromSecretsManager(db, "username"),
      DB_PASSWORD: ecs.Secret.fromSecretsManager(db, "password"),
    },
  };
}

/** Adds the app container to a task definition; `command` replaces the image's CMD. */
export function addAppContainer(
  taskDefinition: ecs.FargateTaskDefinition,
  name: string,
  settings: AppContainerSettings,
  options: { command?: string[]; portMappings?: ecs.PortMapping[]; stopTimeout?: Duration } = {},
): ecs.ContainerDefinition {
  return taskDefinition.addContainer(name, {
    image: settings.image,
    environment: settings.environment,
    secrets: settings.secrets,
    command: options.command,
    portMappings: options.portMappings,
    logging: ecs.LogDrivers.awsLogs({ logGroup: settings.logGroup, streamPrefix: name }),
    essential: true,
    stopTimeout: options.stopTimeout,
  });
}
