import "server-only";
import { timingSafeEqual } from "node:crypto";
import type { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { observeRequest } from "@/lib/observability/observe-request";
import { refuseCrossSite } from "./cross-site";
import { errorResponse } from "./respond";

// The wrapper every route handler goes through, signed in or not: the request's id,
// log line and metrics, the checks that hold for every request, and one error mapping.
// The session wrapper (lib/auth/with-session.ts) is built on it.

export type RouteContext<P> = { params: Promise<P> };

export type Handler<P> = (ctx: { req: NextRequest; params: P }) => Promise<Response> | Response;

/**
 * In production the ALB only accepts CloudFront's address ranges, and CloudFront
 * adds a secret header; a request without it did not come through the distribution
 * (and so skipped the WAF), so it is refused.
 */
function checkOrigin(req: Request): void {
  const expected = env().ORIGIN_VERIFY_SECRET;
  if (!expected) return;
  const got = Buffer.from(req.headers.get("x-origin-verify") ?? "");
  const want = Buffer.from(expected);
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    throw new AppError("forbidden", "Requests must come through the distribution.");
  }
}

/**
 * The checks every API request passes before its handler: through the distribution, and,
 * for a state-changing method, not sent by a page of another origin (lib/api/cross-site.ts).
 * The NextAuth route, which has no wrapper, calls this too.
 */
export function guardRequest(req: Request): void {
  checkOrigin(req);
  refuseCrossSite(req);
}

/** Error mapping (and the request's id, log line and metrics) for handlers anyone may call. */
export function withErrors<P = Record<string, never>>(handler: Handler<P>) {
  return async (req: NextRequest, context: RouteContext<P>): Promise<Response> => {
    const params = await context.params;
    return observeRequest(req, params, async () => {
      try {
        guardRequest(req);
        return await handler({ req, params });
      } catch (err) {
        return errorResponse(err);
      }
    });
  };
}
