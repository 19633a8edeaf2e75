import { RemovalPolicy } from "aws-cdk-lib";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { acknowledge } from "./nag";

/** Props for {@link AppSecrets}. */
export interface AppSecretsProps {
  /** Name prefix, e.g. "/reelgate/prod/". */
  readonly namePrefix: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Generated secrets the app needs besides the database's: AUTH_SECRET (NextAuth JWT
 * key) and ORIGIN_VERIFY_SECRET (the X-Origin-Verify value CloudFront sends). Both are
 * alphanumeric so they can travel in an HTTP header and a shell line unquoted.
 */
export class AppSecrets extends Construct {
  readonly authSecret: secretsmanager.Secret;
  readonly originVerifySecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: AppSecretsProps) {
    super(scope, id);
    const generated = (name: string, description: string) =>
      new secretsmanager.Secret(this, name, {
        secretName: `${props.namePrefix}${name.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}`,
        description,
        generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
        removalPolicy: props.removalPolicy,
      });
    this.authSecret = generated(
      "AuthSecret",
      "AUTH_SECRET: signs and encrypts NextAuth session JWTs",
    );
    this.originVerifySecret = generated(
      "OriginVerify",
      "ORIGIN_VERIFY_SECRET: X-Origin-Verify header value CloudFront adds for the API origin",
    );
    acknowledge(
      this.authSecret,
      "Rotating AUTH_SECRET signs every member out; it is rotated by hand in a maintenance window (DEPLOY.md).",
      "AwsSolutions-SMG4",
    );
    acknowledge(
      this.originVerifySecret,
      "The value is copied into the distribution and an ALB rule at deploy time, so an automatic rotation would lock CloudFront out until the next deploy; rotate by redeploying (DEPLOY.md).",
      "AwsSolutions-SMG4",
    );
  }
}
