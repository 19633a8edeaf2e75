import "server-only";
import { apiMetrics } from "./api-metrics";
import { getLogger } from "./logger";
import { runInRequest } from "./request-context";
import { REQUEST_ID_HEADER, requestIdOf } from "./request-id";
import { routeLabel } from "./route-label";

/**
 * Serves one API request inside its context (request id, logger), then records it: one
 * access log line (level by status), the request counter and the latency histogram, and
 * the id echoed in `x-request-id`. Used by the route wrappers, so the API server's direct
 * dispatch (scripts/api-server.mjs) is observed exactly as Next's router is.
 */
export async function observeRequest(
  req: Request & { nextUrl?: URL },
  params: unknown,
  serve: () => Promise<Response>,
): Promise<Response> {
  const started = process.hrtime.bigint();
  const requestId = requestIdOf(req.headers);
  const response = await runInRequest({ requestId }, serve);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const pathname = req.nextUrl?.pathname ?? new URL(req.url).pathname;
  const route = routeLabel(pathname, params);
  const status = response.status;
  const labels = { route, method: req.method, status: String(status) };
  const metrics = apiMetrics();
  metrics.httpRequests.inc(labels);
  metrics.httpDuration.observe(labels, seconds);
  const level = status >= 500 ? "error" : "info";
  const log = getLogger();
  if (log.isLevelEnabled(level)) {
    // The path only: no query string, no header, no body ever goes into a record.
    log[level](
      {
        requestId,
        route,
        method: req.method,
        path: pathname,
        status,
        durationMs: round(seconds * 1000),
      },
      "request",
    );
  }
  return withRequestId(response, requestId);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** The response with the request id header; a copy when its headers are immutable. */
function withRequestId(response: Response, requestId: string): Response {
  try {
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    headers.set(REQUEST_ID_HEADER, requestId);
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  }
}
