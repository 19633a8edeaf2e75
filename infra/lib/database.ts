import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as rds from "aws-cdk-lib/aws-rds";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { acknowledge } from "./nag";

/** Props for {@link Database}. */
export interface DatabaseProps {
  readonly vpc: ec2.IVpc;
  /** e.g. "t4g.small" (the `db.` prefix is implied). */
  readonly instanceType: string;
  readonly allocatedStorageGiB: number;
  readonly multiAz: boolean;
  /** Production: deletion protection, snapshot on delete, 14-day backups. */
  readonly isProduction: boolean;
  readonly databaseName?: string;
}

/**
 * Characters left out of the generated password so DATABASE_URL can be assembled
 * in a shell line without URL-encoding: only letters, digits and `-._~` remain
 * (URL-unreserved), which also keeps RDS's own forbidden characters (/ @ " space) out.
 */
export const DB_PASSWORD_EXCLUDED_CHARACTERS = " !\"#$%&'()*+,/:;<=>?@[\\]^`{|}";

/**
 * RDS PostgreSQL in the isolated subnets; master credentials generated into Secrets
 * Manager (fields username, password, host, port, dbname). Storage encrypted, TLS
 * forced by the engine default (rds.force_ssl=1 on PostgreSQL 15+).
 */
export class Database extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly secret: secretsmanager.ISecret;
  readonly databaseName: string;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    this.databaseName = props.databaseName ?? "reelgate";
    this.instance = new rds.DatabaseInstance(this, "Instance", {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
      instanceType: new ec2.InstanceType(props.instanceType),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      multiAz: props.multiAz,
      allocatedStorage: props.allocatedStorageGiB,
      maxAllocatedStorage: props.allocatedStorageGiB * 4,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,
      databaseName: this.databaseName,
      credentials: rds.Credentials.fromGeneratedSecret("reelgate", {
        excludeCharacters: DB_PASSWORD_EXCLUDED_CHARACTERS,
      }),
      backupRetention: Duration.days(props.isProduction ? 14 : 1),
      deletionProtection: props.isProduction,
      removalPolicy: props.isProduction ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      autoMinorVersionUpgrade: true,
      enablePerformanceInsights: props.isProduction,
      cloudwatchLogsExports: ["postgresql"],
      publiclyAccessible: false,
    });
    this.secret = this.instance.secret!;

    acknowledge(
      this.instance,
      "Tasks build DATABASE_URL from the secret at start; a rotation would break open pools until the services are redeployed. Rotate by hand: rotate, then force a new deployment (DEPLOY.md).",
      "AwsSolutions-SMG4",
    );
    acknowledge(
      this.instance.secret!,
      "Tasks build DATABASE_URL from the secret at start; a rotation would break open pools until the services are redeployed. Rotate by hand: rotate, then force a new deployment (DEPLOY.md).",
      "AwsSolutions-SMG4",
    );
    acknowledge(
      this.instance,
      "Password auth over TLS with a Secrets Manager credential; IAM auth would need token refresh in the pg pool.",
      "AwsSolutions-RDS6",
    );
    acknowledge(
      this.instance,
      "A non-default port is obscurity, not access control; only the task security group can reach the instance.",
      "AwsSolutions-RDS11",
    );
    if (!props.multiAz) {
      acknowledge(
        this.instance,
        "Preview stages are disposable and run single-AZ to stay cheap.",
        "AwsSolutions-RDS3",
      );
    }
    if (!props.isProduction) {
      acknowledge(
        this.instance,
        "Preview stages are torn down with `cdk destroy`.",
        "AwsSolutions-RDS10",
      );
    }
  }
}
