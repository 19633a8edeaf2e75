import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { createApp } from "../lib/create-app";
import { infraDir } from "../lib/paths";
import type { ReelgateStack } from "../lib/reelgate-stack";
import type { ReelgateConfig } from "../lib/config";

/** A synthesized app, built the way `cdk synth` builds it (cdk.json context + overrides). */
export interface Synthesized {
  stack: ReelgateStack;
  config: ReelgateConfig;
  template: Template;
  /** The raw template, for lookups by logical ID. */
  json: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
}

/**
 * Two throwaway public keys, as `npm run keys` would print them: an RSA-2048 one (2025-01,
 * made with `--type rsa`) and the ECDSA P-256 one it is being rotated to (2025-07).
 */
export function testPublicKeys(): { id: string; pem: string }[] {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
  const ecdsa = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;
  return [
    { id: "2025-01", pem: rsa.export({ type: "spki", format: "pem" }).toString() },
    { id: "2025-07", pem: ecdsa.export({ type: "spki", format: "pem" }).toString() },
  ];
}

/** A minimal static export, so the site deployment is part of what is checked. */
function fakeExport(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "reelgate-out-"));
  mkdirSync(path.join(dir, "_next/static"), { recursive: true });
  writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>Reelgate</title>");
  writeFileSync(path.join(dir, "_next/static/app.js"), "console.log(1)");
  return dir;
}

export const TEST_CONTEXT = {
  account: "123456789012",
  adminIpv4Cidrs: ["203.0.113.0/24"],
  adminIpv6Cidrs: ["2001:db8::/48"],
  adminEmail: "admin@example.com",
  privateKeyParameterName: "/reelgate/prod/cloudfront-private-key",
};

/** Synthesizes `Reelgate-<stage>` once; call it in beforeAll. */
export function synthesize(overrides: Record<string, unknown> = {}): Synthesized {
  const cdkJson = JSON.parse(readFileSync(path.join(infraDir, "cdk.json"), "utf8")) as {
    context: Record<string, unknown>;
  };
  const keys = testPublicKeys();
  const { stack, config, app } = createApp({
    outdir: mkdtempSync(path.join(tmpdir(), "reelgate-cdk-")),
    context: {
      ...cdkJson.context,
      // A cdk-nag finding must fail its own test (security.test.ts), not every file's beforeAll.
      "@aws-cdk/core:failSynthOnValidationErrors": false,
      ...TEST_CONTEXT,
      publicKeys: keys,
      activeKeyId: keys[1]!.id,
      siteDir: fakeExport(),
      ...overrides,
    },
  });
  const template = Template.fromStack(stack);
  void app;
  return { stack, config, template, json: template.toJSON() as Synthesized["json"] };
}

/**
 * Renders a CloudFormation value as a string: Fn::Join is joined, `{Ref: X}` becomes
 * `<X>`, `{Fn::GetAtt: [X, A]}` becomes `<X.A>`. Lets IAM tests compare exact ARNs.
 */
export function render(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    if ("Ref" in v) return `<${String(v.Ref)}>`;
    if ("Fn::GetAtt" in v) return `<${(v["Fn::GetAtt"] as string[]).join(".")}>`;
    if ("Fn::Join" in v) {
      const [sep, parts] = v["Fn::Join"] as [string, unknown[]];
      return parts.map(render).join(sep);
    }
  }
  return JSON.stringify(value);
}

/** Logical IDs of the resources of a type. */
export function logicalIds(s: Synthesized, type: string): string[] {
  return Object.entries(s.json.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id]) => id);
}

/** The one resource of a type whose logical ID starts with `prefix`. */
export function resourceId(s: Synthesized, type: string, prefix: string): string {
  const ids = logicalIds(s, type).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1)
    throw new Error(
      `expected one ${type} starting with ${prefix}, got ${ids.join(", ") || "none"}`,
    );
  return ids[0]!;
}

/** A cache behavior of the distribution, as synthesized. */
export interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  CachePolicyId: unknown;
  OriginRequestPolicyId?: unknown;
  TrustedKeyGroups?: unknown[];
  AllowedMethods: string[];
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
  ResponseHeadersPolicyId?: unknown;
  ViewerProtocolPolicy: string;
}
interface Origin {
  Id: string;
  DomainName: unknown;
  OriginAccessControlId?: unknown;
  S3OriginConfig?: { OriginAccessIdentity?: string };
  CustomOriginConfig?: { OriginProtocolPolicy: string };
  OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
}
/** The distribution's `DistributionConfig`; `CacheBehaviors` in CloudFront's (first match) order. */
export interface DistributionConfig {
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
  Origins: Origin[];
  CustomErrorResponses?: unknown;
  WebACLId?: unknown;
}

/** The one distribution's config. */
export function distributionConfig(s: Synthesized): DistributionConfig {
  const id = resourceId(s, "AWS::CloudFront::Distribution", "Cdn");
  return s.json.Resources[id]!.Properties!.DistributionConfig as DistributionConfig;
}
