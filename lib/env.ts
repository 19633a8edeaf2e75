import "server-only";
import path from "node:path";
import { z } from "zod";

/**
 * The server's configuration, validated once. Every setting has a default that makes
 * `npm start` work on a laptop with no `.env`; production overrides them (see
 * `.env.example`). A bad value stops the process with a message naming the variable.
 *
 * Only this file reads `process.env` for app settings. Nothing here may be imported
 * by a page: the static export never sees server configuration.
 */

const port = z.coerce.number().int().min(1).max(65535);
const seconds = z.coerce.number().int().positive();
const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));
const list = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),

    // --- the preview distribution and the API server ---
    PORT: port.default(3000),
    HOST: z.string().default("127.0.0.1"),
    API_PORT: port.optional(),
    DATA_DIR: z.string().default(".data"),
    /** The public origin members use, e.g. https://videos.example.com. */
    AUTH_URL: z.url().optional(),
    AUTH_SECRET: optionalString,
    AUTH_TRUST_HOST: flag.default(true),
    ADMIN_ALLOWED_CIDRS: list.default(["127.0.0.0/8", "::1/128"]),
    ADMIN_EMAIL: z.email().optional(),
    ADMIN_PASSWORD: z.string().min(12).optional(),
    /** Shared secret CloudFront adds as X-Origin-Verify; the API refuses requests without it. */
    ORIGIN_VERIFY_SECRET: optionalString,

    // --- database ---
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
        .optional(),
    ),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),

    // --- storage ---
    STORAGE_DRIVER: z.enum(["local", "s3"]).default("local"),
    MEDIA_BUCKET: optionalString,
    AWS_REGION: optionalString,

    // --- signing ---
    CLOUDFRONT_KEY_PAIR_ID: optionalString,
    CLOUDFRONT_PRIVATE_KEY_PARAMETER: optionalString,
    CLOUDFRONT_PRIVATE_KEY_FILE: optionalString,
    SECRETS_CACHE_TTL_SECONDS: seconds.default(300),
    PREVIEW_TRUSTED_PUBLIC_KEYS: optionalString,
    /**
     * Lifetime of playback and catalog cookies. Short on purpose: CloudFront has no
     * revocation list, so a member who loses access keeps what was issued until it expires.
     */
    SIGNED_COOKIE_TTL_SECONDS: seconds
      .min(10)
      .max(7 * 24 * 3600)
      .default(600),
    SIGNED_COOKIE_DOMAIN: optionalString,
    /** Optional AWS:SourceIp condition for custom policies, e.g. 203.0.113.0/24. */
    SIGNED_COOKIE_SOURCE_IP: optionalString,
    /** Seconds before now for DateGreaterThan; unset = no DateGreaterThan condition. */
    SIGNED_COOKIE_NOT_BEFORE_SKEW_SECONDS: z.coerce.number().int().min(0).optional(),
    SIGNED_URL_DEFAULT_TTL_SECONDS: seconds.default(300),
    SIGNED_URL_MAX_TTL_SECONDS: seconds.max(7 * 24 * 3600).default(86400),
    /**
     * The hash signed over: SHA256 (cookies then carry CloudFront-Hash-Algorithm=SHA256,
     * URLs Hash-Algorithm=SHA256) or SHA1, what CloudFront assumes when neither is sent.
     */
    CLOUDFRONT_HASH_ALGORITHM: z.enum(["SHA256", "SHA1"]).default("SHA256"),
    /**
     * Whether cookie issuance reuses the last signature for the same policy (members asking
     * within the same second). 0 signs every issuance: the bench's per-request signing rows.
     */
    SIGNED_COOKIE_REUSE_SIGNATURE: flag.default(true),

    // --- streams and the access log ---
    /** Devices of one member playing at once (0 = no limit); admins have none. */
    MAX_STREAMS_PER_MEMBER: z.coerce.number().int().min(0).max(100).default(3),
    /**
     * A playing page renews its video's cookies at least this often; a stream not renewed
     * for two of these has ended and frees its place.
     */
    STREAM_HEARTBEAT_SECONDS: seconds.min(5).max(3600).default(60),
    /** Days the access log (who was issued which video's credentials) is kept. */
    ACCESS_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),

    // --- sign-in limits ---
    /** Failed sign-ins per (account, address) pair before that pair waits SIGNIN_WINDOW_SECONDS. */
    SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    /** Failed sign-ins per client address (higher: offices and NATs share addresses). */
    SIGNIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
    /**
     * Failed sign-ins to one account from all addresses before it is "under attack": then
     * only devices and addresses that signed in to it before may sign in, until the window ends.
     */
    SIGNIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(50),
    SIGNIN_WINDOW_SECONDS: seconds.default(900),
    /** How long an admin's password reset link works. */
    PASSWORD_RESET_TTL_SECONDS: seconds.max(7 * 24 * 3600).default(24 * 3600),
    /**
     * How long an API server may answer from its copy of a signed-in user (0 = every call
     * reads the database). The server that disables a user or changes a role forgets its
     * copy at once; other servers follow within this time.
     */
    SESSION_USER_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
    /**
     * Longest an API server keeps an access decision (may this member play this video,
     * their groups) between the database's change notices (lib/access/memo.ts); 0 = off.
     */
    ACCESS_MEMO_SECONDS: z.coerce.number().int().min(0).max(300).default(30),

    // --- uploads and transcoding ---
    FFMPEG_PATH: optionalString,
    FFPROBE_PATH: optionalString,
    UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(10 * 1024 ** 3),
    UPLOAD_PART_BYTES: z.coerce
      .number()
      .int()
      .min(5 * 1024 ** 2)
      .default(8 * 1024 ** 2),
    /** Largest width or height of a source video, in pixels (refused at completion). */
    UPLOAD_MAX_SIDE: z.coerce.number().int().min(16).default(4096),
    /** Highest frame rate of a source video (refused at completion). */
    UPLOAD_MAX_FPS: z.coerce.number().positive().default(120),
    /** Longest source video, in seconds (refused at completion). */
    UPLOAD_MAX_DURATION_SECONDS: seconds.default(4 * 3600),
    /** Threads ffmpeg may use for decoding, filtering and each encoder (0 = one per core). */
    TRANSCODE_THREADS: z.coerce.number().int().min(0).max(64).default(0),
    /** Memory an ffmpeg run may allocate (its data segment), in MiB. */
    TRANSCODE_MAX_MEMORY_MB: z.coerce.number().int().min(256).default(4096),
    /** Seconds a transcode may run per second of video before it is killed (at least 300 s). */
    TRANSCODE_TIMEOUT_FACTOR: z.coerce.number().positive().default(10),
    /** Deployment stage (set by infra/); workers then publish Reelgate/QueueDepth for autoscaling. */
    REELGATE_STAGE: optionalString,
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
    JOB_LEASE_SECONDS: seconds.default(30),
    JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(3),

    // --- observability and playback analytics ---
    /** pino's level for every process (fatal, error, warn, info, debug, trace, silent). */
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    /** Write CloudWatch embedded-metric-format lines to stdout once a minute (set by infra/). */
    METRICS_EMF: flag.default(false),
    /** The preview edge's loopback metrics, merged into GET /api/admin/metrics (set by npm start). */
    EDGE_METRICS_URL: optionalString.pipe(z.url().optional()),
    /** Playback beacons one member may send per minute before 429. */
    BEACON_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
    /** New views one member may start per day; beacons for more are refused (429). */
    BEACON_MAX_VIEWS_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(500),
    /** Days of per-view playback records kept; older ones are deleted. */
    ANALYTICS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(400),
  })
  .superRefine((env, ctx) => {
    if (env.STORAGE_DRIVER === "s3" && !env.MEDIA_BUCKET) {
      ctx.addIssue({
        code: "custom",
        path: ["MEDIA_BUCKET"],
        message: "required when STORAGE_DRIVER=s3",
      });
    }
    if (env.CLOUDFRONT_PRIVATE_KEY_PARAMETER && !env.CLOUDFRONT_KEY_PAIR_ID) {
      ctx.addIssue({
        code: "custom",
        path: ["CLOUDFRONT_KEY_PAIR_ID"],
        message: "required with CLOUDFRONT_PRIVATE_KEY_PARAMETER (the CloudFront public key ID)",
      });
    }
  });

export type Env = z.infer<typeof schema> & {
  /** Absolute path of DATA_DIR. */
  dataDir: string;
  /** The public origin, without a trailing slash. */
  publicOrigin: string;
};

/** Raised when the environment does not validate; the message names each variable. */
export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses an environment (default: process.env). Exported for tests. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = result.data;
  const publicOrigin = (env.AUTH_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
  return {
    ...env,
    // The API build runs from `.next-api/standalone`, which chdirs; REELGATE_ROOT pins
    // relative paths to the project root that `npm start` was run from.
    dataDir: path.resolve(source.REELGATE_ROOT ?? process.cwd(), env.DATA_DIR),
    publicOrigin,
  };
}

let cached: Env | undefined;

/** The process's configuration, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
