import "server-only";
import { ZodError } from "zod";

/** Error codes the API answers with, each bound to one HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  /** The member is playing on as many devices as MAX_STREAMS_PER_MEMBER allows. */
  stream_limit: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

// Next.js bundles instrumentation (boot, the in-process worker) apart from the route
// handlers, so this module can be loaded twice in one process. An object made by one
// copy and shared on globalThis (the storage) throws that copy's AppError, which the
// other copy's class would not recognise: `instanceof AppError` checks a brand instead.
const BRAND = Symbol.for("reelgate.AppError");

/**
 * The one error type the app throws on purpose. `message` is shown to the client,
 * so it must be safe to show; `headers` (e.g. Retry-After) go on the response, and
 * `details` into the error object beside `code` and `message` (e.g. the member's
 * streams with `stream_limit`), so they must be safe to show too.
 */
export class AppError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && BRAND in value;
  }

  override name = "AppError";
  readonly [BRAND] = true;
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    issues?: { path: string; message: string }[];
    [detail: string]: unknown;
  };
}

/**
 * Maps anything thrown in a handler to a response body and status: AppError to its
 * own status, a zod error to 422 with the failing fields, anything else to a 500
 * that says nothing about the cause (which is logged instead).
 */
export function toErrorResponse(err: unknown): {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
} {
  if (err instanceof AppError) {
    return {
      status: err.status,
      body: { error: { ...err.details, code: err.code, message: err.message } },
      headers: err.headers,
    };
  }
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    const first = issues[0];
    const message = first ? `${first.path || "body"}: ${first.message}` : "Invalid input";
    return {
      status: 422,
      body: { error: { code: "unprocessable", message, issues } },
      headers: {},
    };
  }
  console.error("[api] unhandled error:", err instanceof Error ? (err.stack ?? err.message) : err);
  return {
    status: 500,
    body: { error: { code: "internal", message: "Something went wrong on our side." } },
    headers: {},
  };
}

/** An error's message for a log line (a thrown non-Error as its string). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
