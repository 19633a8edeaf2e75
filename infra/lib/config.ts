import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { infraDir } from "./paths";

/** One CloudFront public key, as printed by `npm run keys`. */
export interface PublicKeyConfig {
  /** Stable name for the key in this app (e.g. "2025-06"); not the CloudFront-assigned ID. */
  readonly id: string;
  /** PEM-encoded RSA public key (`-----BEGIN PUBLIC KEY-----`). */
  readonly pem: string;
}

/** Task counts and instance sizes; production and preview stages differ only here. */
export interface StageSizing {
  readonly apiCpu: number;
  readonly apiMemoryMiB: number;
  readonly apiMinTasks: number;
  readonly apiMaxTasks: number;
  readonly workerCpu: number;
  readonly workerMemoryMiB: number;
  readonly workerMinTasks: number;
  readonly workerMaxTasks: number;
  /** Fargate ephemeral storage for the worker: originals and renditions are staged on disk. */
  readonly workerEphemeralGiB: number;
  /** RDS instance class without the `db.` prefix, e.g. "t4g.small". */
  readonly dbInstanceType: string;
  readonly dbAllocatedStorageGiB: number;
  readonly dbMultiAz: boolean;
  readonly natGateways: number;
  readonly logRetentionDays: number;
}

/** Everything the stack needs to know, read from CDK context (cdk.json or `-c key=value`). */
export interface ReelgateConfig {
  /** "prod" or "preview-<branch>". */
  readonly stage: string;
  /** True for "prod": retained data, deletion protection, Multi-AZ. */
  readonly isProduction: boolean;
  /** Target account; undefined keeps the stack account-agnostic (synth works offline). */
  readonly account?: string;
  /** Always us-east-1: the CLOUDFRONT-scope web ACL can only be created there. */
  readonly region: string;
  /** Optional custom domain for the distribution, with an ACM certificate in us-east-1. */
  readonly domainName?: string;
  readonly certificateArn?: string;
  /**
   * Optional DNS name (CNAME to the ALB) and ACM certificate for TLS between CloudFront
   * and the ALB. Without them that hop is HTTP, restricted to CloudFront and the secret header.
   */
  readonly originDomainName?: string;
  readonly originCertificateArn?: string;
  /** Admin allow-list for `/admin*` and `/api/admin/*` (empty = nobody). */
  readonly adminIpv4Cidrs: string[];
  readonly adminIpv6Cidrs: string[];
  readonly adminEmail?: string;
  /** Keys in the trusted key group: one normally, two during a rotation. */
  readonly publicKeys: PublicKeyConfig[];
  /** The key the app signs with (its CloudFront ID becomes CLOUDFRONT_KEY_PAIR_ID). */
  readonly activeKeyId: string;
  /** True when no key was configured and the committed placeholder (no private half) is used. */
  readonly usingPlaceholderKey: boolean;
  /** SSM SecureString holding the active private key; CloudFormation cannot create it. */
  readonly privateKeyParameterName: string;
  /** KMS key of that parameter; undefined means the AWS managed `aws/ssm` key. */
  readonly privateKeyKmsKeyArn?: string;
  /** Media cookie lifetime: the bound on access after a member loses the right to watch. */
  readonly signedCookieTtlSeconds: number;
  /** Devices a member may play on at once (0 = no limit): MAX_STREAMS_PER_MEMBER. */
  readonly maxStreamsPerMember: number;
  /** Sign-in attempts per IP per 5 minutes before WAF blocks the IP. */
  readonly signInRateLimit: number;
  /** `com.amazonaws.global.cloudfront.origin-facing` in the region (looked up offline: none). */
  readonly cloudFrontPrefixListId: string;
  /** The static export to upload; undefined when it is missing or skipped (no deployment). */
  readonly siteDir?: string;
  /** Set when the static export was expected but not found: the path looked for. */
  readonly missingSiteDir?: string;
  readonly sizing: StageSizing;
}

const PRODUCTION_SIZING: StageSizing = {
  apiCpu: 1024,
  apiMemoryMiB: 2048,
  apiMinTasks: 2,
  apiMaxTasks: 10,
  workerCpu: 2048,
  workerMemoryMiB: 4096,
  workerMinTasks: 1,
  workerMaxTasks: 4,
  workerEphemeralGiB: 100,
  dbInstanceType: "t4g.small",
  dbAllocatedStorageGiB: 50,
  dbMultiAz: true,
  natGateways: 1,
  logRetentionDays: 90,
};

const PREVIEW_SIZING: StageSizing = {
  apiCpu: 512,
  apiMemoryMiB: 1024,
  apiMinTasks: 1,
  apiMaxTasks: 2,
  workerCpu: 1024,
  workerMemoryMiB: 2048,
  workerMinTasks: 1,
  workerMaxTasks: 1,
  workerEphemeralGiB: 30,
  dbInstanceType: "t4g.micro",
  dbAllocatedStorageGiB: 20,
  dbMultiAz: false,
  natGateways: 1,
  logRetentionDays: 7,
};

// The prefix list IDs are per region; us-east-1 is the only region this app deploys to.
const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "pl-3b927c52";

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV6_CIDR = /^[0-9a-f:]+\/(\d{1,3})$/i;

function isIpv4Cidr(value: string): boolean {
  const m = IPV4_CIDR.exec(value);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  return octets.every((o) => o <= 255) && Number(m[5]) <= 32;
}

function isIpv6Cidr(value: string): boolean {
  const m = IPV6_CIDR.exec(value);
  return m !== null && value.includes(":") && Number(m[1]) <= 128;
}

// `-c key=value` always arrives as a string; cdk.json values arrive as JSON. Accept both.
function jsonOrString(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) return JSON.parse(trimmed);
  return value;
}

const cidrList = (check: (v: string) => boolean, label: string) =>
  z.preprocess(
    (v) => {
      const parsed = jsonOrString(v);
      if (typeof parsed === "string") {
        return parsed
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
      }
      return parsed ?? [];
    },
    z.array(
      z.string().refine(check, {
        message: `must be ${label} CIDRs like ${label === "IPv4" ? "203.0.113.7/32" : "2001:db8::/64"}`,
      }),
    ),
  );

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const contextSchema = z
  .object({
    stage: z
      .string()
      .regex(
        /^(prod|preview-[a-z0-9][a-z0-9-]{0,30})$/,
        'must be "prod" or "preview-<branch>" (lowercase, digits, dashes)',
      )
      .default("prod"),
    account: z.preprocess(
      (v) => (typeof v === "number" ? String(v) : (v ?? undefined)),
      z
        .string()
        .regex(/^\d{12}$/)
        .optional(),
    ),
    region: z
      .literal("us-east-1", {
        message:
          "must be us-east-1: the CLOUDFRONT-scope WAF web ACL exists only there (see DEPLOY.md, 'Region')",
      })
      .default("us-east-1"),
    domainName: optionalText,
    certificateArn: optionalText,
    originDomainName: optionalText,
    originCertificateArn: optionalText,
    adminIpv4Cidrs: cidrList(isIpv4Cidr, "IPv4"),
    adminIpv6Cidrs: cidrList(isIpv6Cidr, "IPv6"),
    adminEmail: optionalText.pipe(z.email().optional()),
    publicKeys: z.preprocess(
      (v) => jsonOrString(v) ?? [],
      z
        .array(
          z.object({
            id: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, "key id: letters, digits, dashes"),
            pem: z
              .string()
              .includes("-----BEGIN PUBLIC KEY-----", { message: "must be a PEM public key" }),
          }),
        )
        .max(
          2,
          "the key group holds at most two keys here: the active one and the one being rotated",
        ),
    ),
    activeKeyId: optionalText,
    privateKeyParameterName: optionalText.pipe(
      z
        .string()
        .regex(/^\/[A-Za-z0-9_.\-/]+$/, "must be an SSM parameter path starting with /")
        .optional(),
    ),
    privateKeyKmsKeyArn: optionalText.pipe(z.string().startsWith("arn:aws:kms:").optional()),
    signedCookieTtlSeconds: z.coerce
      .number()
      .int()
      .min(10)
      .max(7 * 24 * 3600)
      .default(600),
    maxStreamsPerMember: z.coerce.number().int().min(0).max(100).default(3),
    signInRateLimit: z.coerce.number().int().min(10).default(100),
    cloudFrontPrefixListId: z
      .string()
      .regex(/^pl-[0-9a-f]+$/)
      .default(CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST),
    siteDir: optionalText,
    skipSiteDeployment: z.preprocess((v) => v === true || v === "true" || v === "1", z.boolean()),
  })
  .superRefine((c, ctx) => {
    if (c.domainName && !c.certificateArn) {
      ctx.addIssue({
        code: "custom",
        path: ["certificateArn"],
        message: "required with domainName (ACM, us-east-1)",
      });
    }
    if (Boolean(c.originDomainName) !== Boolean(c.originCertificateArn)) {
      ctx.addIssue({
        code: "custom",
        path: ["originCertificateArn"],
        message: "originDomainName and originCertificateArn go together",
      });
    }
    const ids = c.publicKeys.map((k) => k.id);
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: "custom", path: ["publicKeys"], message: "key ids must be unique" });
    }
    if (c.activeKeyId && !ids.includes(c.activeKeyId)) {
      ctx.addIssue({
        code: "custom",
        path: ["activeKeyId"],
        message: `not one of: ${ids.join(", ") || "(none)"}`,
      });
    }
    if (!c.activeKeyId && c.publicKeys.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["activeKeyId"],
        message: "required when two keys are configured (which one does the app sign with?)",
      });
    }
  });

/** Raised when the context does not validate; the message names each key. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The committed placeholder key; its private half was never kept, so nothing can sign for it. */
export function placeholderPublicKey(): PublicKeyConfig {
  return {
    id: "placeholder",
    pem: readFileSync(path.join(infraDir, "config/placeholder-public-key.pem"), "utf8"),
  };
}

/**
 * Reads and validates the app's context. `tryGetContext` is `app.node.tryGetContext`;
 * `defaultSiteDir` is where the static export lands (`out/` at the repo root).
 */
export function loadConfig(
  tryGetContext: (key: string) => unknown,
  options: { defaultSiteDir: string; siteDirExists: (dir: string) => boolean },
): ReelgateConfig {
  const raw = Object.fromEntries(
    Object.keys(contextSchema.shape).map((k) => [k, tryGetContext(k)]),
  );
  const result = contextSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) => `  ${i.path.join(".") || "(context)"}: ${i.message}`,
    );
    throw new ConfigError(`Invalid CDK context:\n${lines.join("\n")}`);
  }
  const c = result.data;
  const usingPlaceholderKey = c.publicKeys.length === 0;
  const publicKeys = usingPlaceholderKey ? [placeholderPublicKey()] : c.publicKeys;
  const isProduction = c.stage === "prod";
  const wantedSiteDir = c.skipSiteDeployment
    ? undefined
    : path.resolve(c.siteDir ?? options.defaultSiteDir);
  const siteFound = wantedSiteDir !== undefined && options.siteDirExists(wantedSiteDir);

  return {
    stage: c.stage,
    isProduction,
    account: c.account,
    region: c.region,
    domainName: c.domainName,
    certificateArn: c.certificateArn,
    originDomainName: c.originDomainName,
    originCertificateArn: c.originCertificateArn,
    adminIpv4Cidrs: c.adminIpv4Cidrs,
    adminIpv6Cidrs: c.adminIpv6Cidrs,
    adminEmail: c.adminEmail,
    publicKeys,
    activeKeyId: c.activeKeyId ?? publicKeys[0]!.id,
    usingPlaceholderKey,
    privateKeyParameterName:
      c.privateKeyParameterName ?? `/reelgate/${c.stage}/cloudfront-private-key`,
    privateKeyKmsKeyArn: c.privateKeyKmsKeyArn,
    signedCookieTtlSeconds: c.signedCookieTtlSeconds,
    maxStreamsPerMember: c.maxStreamsPerMember,
    signInRateLimit: c.signInRateLimit,
    cloudFrontPrefixListId: c.cloudFrontPrefixListId,
    siteDir: siteFound ? wantedSiteDir : undefined,
    missingSiteDir: wantedSiteDir !== undefined && !siteFound ? wantedSiteDir : undefined,
    sizing: isProduction ? PRODUCTION_SIZING : PREVIEW_SIZING,
  };
}
