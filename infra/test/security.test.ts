import { createPublicKey } from "node:crypto";
import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { awsSolutionsChecks } from "../lib/nag";
import {
  logicalIds,
  render,
  resourceId,
  synthesize,
  TEST_CONTEXT,
  type Synthesized,
} from "./synth";

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

interface ByteMatch {
  ByteMatchStatement: { FieldToMatch: unknown; PositionalConstraint: string; SearchString: string };
}
interface WafRule {
  Name: string;
  Action: unknown;
  Statement: {
    AndStatement: {
      Statements: [
        ByteMatch,
        {
          NotStatement: {
            Statement: {
              OrStatement: {
                Statements: { IPSetReferenceStatement: { Arn: { "Fn::GetAtt": string[] } } }[];
              };
            };
          };
        },
      ];
    };
  };
}
interface WebAclProps {
  Rules: WafRule[];
  CustomResponseBodies: Record<string, { ContentType: string; Content: string }>;
}
interface ListenerCondition {
  HttpHeaderConfig: { HttpHeaderName: string; Values: unknown[] };
}

let s: Synthesized;

beforeAll(() => {
  s = synthesize();
});

describe("WAF web ACL", () => {
  it("is CLOUDFRONT-scoped in us-east-1 and allows by default", () => {
    expect(s.stack.region).toBe("us-east-1");
    s.template.hasResourceProperties("AWS::WAFv2::WebACL", {
      Scope: "CLOUDFRONT",
      DefaultAction: { Allow: {} },
    });
  });

  it("holds the admin allow-list in an IPv4 and an IPv6 set", () => {
    s.template.hasResourceProperties("AWS::WAFv2::IPSet", {
      Scope: "CLOUDFRONT",
      IPAddressVersion: "IPV4",
      Addresses: TEST_CONTEXT.adminIpv4Cidrs,
    });
    s.template.hasResourceProperties("AWS::WAFv2::IPSet", {
      Scope: "CLOUDFRONT",
      IPAddressVersion: "IPV6",
      Addresses: TEST_CONTEXT.adminIpv6Cidrs,
    });
  });

  it.each([
    ["AdminPagesAllowList", "/admin", "admin-forbidden-html"],
    ["AdminApiAllowList", "/api/admin/", "admin-forbidden-json"],
  ])("%s blocks %s from outside both IP sets with a custom 403", (name, prefix, bodyKey) => {
    const acl = s.json.Resources[resourceId(s, "AWS::WAFv2::WebACL", "Waf")]!
      .Properties as unknown as WebAclProps;
    const rule = acl.Rules.find((r) => r.Name === name)!;
    expect(rule.Action).toEqual({
      Block: { CustomResponse: { ResponseCode: 403, CustomResponseBodyKey: bodyKey } },
    });
    const [pathMatch, notFromAdmins] = rule.Statement.AndStatement.Statements;
    expect(pathMatch.ByteMatchStatement).toMatchObject({
      FieldToMatch: { UriPath: {} },
      PositionalConstraint: "STARTS_WITH",
      SearchString: prefix,
    });
    const sets = notFromAdmins.NotStatement.Statement.OrStatement.Statements.map(
      (st) => st.IPSetReferenceStatement.Arn["Fn::GetAtt"][0],
    );
    expect(sets.sort()).toEqual(logicalIds(s, "AWS::WAFv2::IPSet").sort());
    const body = acl.CustomResponseBodies[bodyKey]!;
    if (body.ContentType === "APPLICATION_JSON") {
      expect((JSON.parse(body.Content) as { error: { code: string } }).error.code).toBe(
        "forbidden",
      );
    } else {
      expect(body.ContentType).toBe("TEXT_HTML");
      expect(body.Content).toContain("403");
    }
  });

  it("rate-limits credential sign-in per IP", () => {
    s.template.hasResourceProperties("AWS::WAFv2::WebACL", {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: "SignInRateLimit",
          Action: {
            Block: Match.objectLike({ CustomResponse: Match.objectLike({ ResponseCode: 429 }) }),
          },
          Statement: {
            RateBasedStatement: Match.objectLike({
              AggregateKeyType: "IP",
              Limit: 100,
              // Prefixes: a trailing slash on the callback reaches NextAuth too (#18).
              ScopeDownStatement: {
                OrStatement: {
                  Statements: [
                    "/api/auth/callback/",
                    "/api/account/password",
                    "/api/password-reset",
                  ].map((prefix) => ({
                    ByteMatchStatement: Match.objectLike({
                      SearchString: prefix,
                      PositionalConstraint: "STARTS_WITH",
                    }),
                  })),
                },
              },
            }),
          },
        }),
      ]),
    });
  });
});

describe("task role", () => {
  let statements: Statement[];
  let media: string;

  beforeAll(() => {
    const roleId = resourceId(s, "AWS::IAM::Role", "TaskRole");
    const policies = Object.values(s.json.Resources).filter(
      (r) =>
        r.Type === "AWS::IAM::Policy" &&
        (r.Properties!.Roles as { Ref: string }[]).some((x) => x.Ref === roleId),
    );
    expect(policies).toHaveLength(1);
    statements = (policies[0]!.Properties!.PolicyDocument as { Statement: Statement[] }).Statement;
    media = resourceId(s, "AWS::S3::Bucket", "MediaBucket");
  });

  const byAction = (action: string) =>
    statements.filter((st) => [st.Action].flat().includes(action));
  const resources = (st: Statement) => [st.Resource].flat().map(render).sort();

  it("reads exactly the one private-key parameter", () => {
    const [st, ...rest] = byAction("ssm:GetParameter");
    expect(rest).toEqual([]);
    expect(st!.Action).toBe("ssm:GetParameter");
    expect(resources(st!)).toEqual([
      `arn:<AWS::Partition>:ssm:us-east-1:${TEST_CONTEXT.account}:parameter${TEST_CONTEXT.privateKeyParameterName}`,
    ]);
  });

  it("decrypts only through SSM, only for that parameter", () => {
    const [st, ...rest] = byAction("kms:Decrypt");
    expect(rest).toEqual([]);
    expect(st!.Condition).toEqual({
      StringEquals: {
        "kms:ViaService": "ssm.us-east-1.amazonaws.com",
        "kms:EncryptionContext:PARAMETER_ARN": expect.anything() as unknown,
      },
    });
    expect(render(st!.Condition!.StringEquals!["kms:EncryptionContext:PARAMETER_ARN"])).toBe(
      `arn:<AWS::Partition>:ssm:us-east-1:${TEST_CONTEXT.account}:parameter${TEST_CONTEXT.privateKeyParameterName}`,
    );
  });

  it("reads and writes only uploads/* and media/* of the media bucket", () => {
    const objectStatements = statements.filter((st) =>
      [st.Action].flat().some((a) => a.startsWith("s3:") && a !== "s3:ListBucket"),
    );
    expect(objectStatements).toHaveLength(1);
    expect(resources(objectStatements[0]!)).toEqual([
      `<${media}.Arn>/media/*`,
      `<${media}.Arn>/uploads/*`,
    ]);
    expect([objectStatements[0]!.Action].flat().every((a) => !a.includes("*"))).toBe(true);
  });

  it("lists the media bucket only under its prefixes", () => {
    const [st, ...rest] = byAction("s3:ListBucket");
    expect(rest).toEqual([]);
    expect(resources(st!)).toEqual([`<${media}.Arn>`]);
    expect(st!.Condition).toEqual({ StringLike: { "s3:prefix": ["uploads/*", "media/*"] } });
  });

  it("has nothing else: every statement is one of the above, no action wildcard", () => {
    const allowed = new Set([
      "ssm:GetParameter",
      "kms:Decrypt",
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
      "s3:ListBucket",
      "cloudwatch:PutMetricData",
    ]);
    for (const st of statements) {
      expect(st.Effect).toBe("Allow");
      for (const a of [st.Action].flat()) expect(allowed.has(a), a).toBe(true);
    }
    const metrics = byAction("cloudwatch:PutMetricData")[0]!;
    expect(metrics.Condition).toEqual({ StringEquals: { "cloudwatch:namespace": "Reelgate" } });
  });
});

describe("load balancer", () => {
  it("admits only CloudFront's origin-facing prefix list", () => {
    const sgId = resourceId(s, "AWS::EC2::SecurityGroup", "ApiLoadBalancerSecurityGroup");
    const inline = (s.json.Resources[sgId]!.Properties!.SecurityGroupIngress ?? []) as Record<
      string,
      unknown
    >[];
    const separate = Object.values(s.json.Resources)
      .filter(
        (r) =>
          r.Type === "AWS::EC2::SecurityGroupIngress" &&
          render(r.Properties!.GroupId) === `<${sgId}.GroupId>`,
      )
      .map((r) => r.Properties!);
    const ingress = [...inline, ...separate];
    expect(ingress).toEqual([
      expect.objectContaining({ SourcePrefixListId: "pl-3b927c52", FromPort: 80, ToPort: 80 }),
    ]);
  });

  it("forwards only requests carrying the X-Origin-Verify secret, 403 otherwise", () => {
    s.template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", {
      DefaultActions: [
        Match.objectLike({
          Type: "fixed-response",
          FixedResponseConfig: Match.objectLike({ StatusCode: "403" }),
        }),
      ],
    });
    const ruleId = resourceId(s, "AWS::ElasticLoadBalancingV2::ListenerRule", "ApiLoadBalancer");
    const conditions = s.json.Resources[ruleId]!.Properties!.Conditions as ListenerCondition[];
    expect(conditions).toHaveLength(1);
    expect(conditions[0]!.HttpHeaderConfig.HttpHeaderName).toBe("X-Origin-Verify");
    expect(render(conditions[0]!.HttpHeaderConfig.Values[0])).toMatch(
      /^\{\{resolve:secretsmanager:<SecretsOriginVerify\w+>/,
    );
  });
});

describe("key group", () => {
  it("trusts both configured keys (rotation) and signs with the active one", () => {
    const keyIds = logicalIds(s, "AWS::CloudFront::PublicKey");
    expect(keyIds).toHaveLength(2);
    s.template.hasResourceProperties("AWS::CloudFront::KeyGroup", {
      KeyGroupConfig: Match.objectLike({
        Items: Match.arrayWith(keyIds.map((id) => ({ Ref: id }))),
      }),
    });
    const active = keyIds.find((id) => id.includes("202507"))!;
    // The rotation in the test context goes from an RSA-2048 key to an ECDSA P-256 one.
    const encoded = (id: string) =>
      createPublicKey(
        (s.json.Resources[id]!.Properties!.PublicKeyConfig as { EncodedKey: string }).EncodedKey,
      );
    const old = keyIds.find((id) => id !== active)!;
    expect(encoded(old).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(encoded(active).asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(encoded(active).export({ type: "spki", format: "pem" })).toBe(
      s.config.publicKeys[1]!.pem,
    );
    s.template.hasResourceProperties("AWS::ECS::TaskDefinition", {
      ContainerDefinitions: [
        Match.objectLike({
          Environment: Match.arrayWith([
            { Name: "CLOUDFRONT_KEY_PAIR_ID", Value: { Ref: active } },
          ]),
        }),
      ],
    });
  });
});

describe("cdk-nag AwsSolutions", () => {
  it("reports no unacknowledged finding for production", () => {
    const report = awsSolutionsChecks().validateScope(s.stack);
    const findings = report.violations.map(
      (v) =>
        `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId).join(", ")}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("reports no unacknowledged finding for a preview stage", () => {
    const preview = synthesize({ stage: "preview-feat-x", privateKeyParameterName: undefined });
    const report = awsSolutionsChecks().validateScope(preview.stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});
