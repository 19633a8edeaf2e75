import "server-only";
import { toErrorResponse } from "@/lib/errors";
import { currentRequest } from "@/lib/observability/request-context";

/** JSON response with no caching: every /api/* answer is per-user. */
export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(data), { ...init, headers });
}

export function noContent(init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("cache-control", "no-store");
  return new Response(null, { ...init, status: 204, headers });
}

/**
 * The error format of the whole API: `{ error: { code, message, requestId } }`; the id is
 * the one in the answer's `x-request-id` and in the request's log records.
 */
export function errorResponse(err: unknown): Response {
  const { status, body, headers } = toErrorResponse(err);
  const requestId = currentRequest()?.requestId;
  if (requestId) body.error.requestId = requestId;
  return json(body, { status, headers });
}
