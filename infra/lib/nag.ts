import { createRequire } from "node:module";
import type { IConstruct } from "constructs";
import { Stack, Validations } from "aws-cdk-lib";

// cdk-nag is CommonJS whose exports Node's ESM loader cannot detect statically
// ("does not provide an export named ..."), so it is loaded through require.
const require = createRequire(import.meta.url);
const nag = require("cdk-nag") as typeof import("cdk-nag");

/** The AWS Solutions rule pack, as a fresh instance. */
export function awsSolutionsChecks(): InstanceType<typeof nag.AwsSolutionsChecks> {
  return new nag.AwsSolutionsChecks(undefined, { verbose: true });
}

/**
 * Acknowledges cdk-nag findings on a construct (and its children). Every call must say
 * why; the reason is recorded in the cloud assembly next to the finding.
 */
export function acknowledge(scope: IConstruct, reason: string, ...ruleIds: string[]): void {
  Validations.of(scope).acknowledge(...ruleIds.map((id) => ({ id, reason })));
}

const { flattenCfnReference } = require("cdk-nag/lib/utils/flatten-cfn-reference") as {
  flattenCfnReference: (reference: unknown) => string;
};

/**
 * The finding ID cdk-nag gives a wildcard resource (`AwsSolutions-IAM5[Resource::...]`),
 * computed from the ARN itself so an acknowledgement names exactly one resource.
 */
export function wildcardResourceFinding(scope: IConstruct, arn: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(arn))}]`;
}

/**
 * Every IAM5 finding of a policy written by a CDK-provided construct (its actions and
 * resources with a `*`), for code we do not control; our own policies list findings
 * one by one instead.
 */
export function wildcardFindingsOf(
  policy: { document: { toJSON(): unknown } },
  scope: IConstruct,
): string[] {
  const doc = Stack.of(scope).resolve(policy.document.toJSON()) as {
    Statement?: { Action?: unknown; Resource?: unknown }[];
  };
  const findings = new Set<string>();
  for (const statement of doc.Statement ?? []) {
    for (const action of [statement.Action ?? []].flat() as string[]) {
      if (action.includes("*")) findings.add(`AwsSolutions-IAM5[Action::${action}]`);
    }
    for (const resource of [statement.Resource ?? []].flat()) {
      const flat = flattenCfnReference(resource);
      if (flat.includes("*")) findings.add(`AwsSolutions-IAM5[Resource::${flat}]`);
    }
  }
  return [...findings];
}
