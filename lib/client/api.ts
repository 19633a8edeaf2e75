import type { ApiErrorBody } from "@/lib/contract/types";

/** A non-2xx answer from `/api/*` (or a network failure, with `status` 0). */
export class ApiError extends Error {
  override name = "ApiError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait, from the `Retry-After` header of a 429 or 503. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** Options of {@link apiFetch}: `fetch` options plus a JSON body and the 401 policy. */
export interface ApiFetchInit extends Omit<RequestInit, "body"> {
  /** Serialized as JSON with the matching Content-Type. */
  json?: unknown;
  body?: BodyInit | null;
  /**
   * On 401, send the browser to the sign-in page with the current page as the
   * callback, before throwing. Pages that need a member set this; the header's
   * "who am I" probe does not.
   */
  redirectOn401?: boolean;
}

/**
 * Fetches a same-origin API path and parses its JSON. Throws {@link ApiError} with
 * the server's `{error:{code,message}}` for any non-2xx status.
 */
export async function apiFetch<T>(path: string, init: ApiFetchInit = {}): Promise<T> {
  const { json, redirectOn401 = false, headers, ...rest } = init;
  const merged = new Headers(headers);
  merged.set("Accept", "application/json");
  if (json !== undefined) merged.set("Content-Type", "application/json");

  return readApiResponse<T>(
    fetch(path, {
      credentials: "same-origin",
      ...rest,
      headers: merged,
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    }),
    { redirectOn401 },
  );
}

/**
 * The JSON of an API answer whose request was already sent (by {@link apiFetch}, or by
 * the watch page's inline boot script). Throws {@link ApiError} as apiFetch does.
 */
export async function readApiResponse<T>(
  pending: Promise<Response>,
  { redirectOn401 = false }: { redirectOn401?: boolean } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await pending;
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", "Could not reach the server. Check your connection.");
  }
  if (res.ok) {
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch {
      // A 200 HTML page means a proxy or CDN answered instead of the API.
      throw new ApiError(res.status, "bad_response", "Unexpected response from the server.");
    }
  }

  const error = await readError(res);
  if (res.status === 401 && redirectOn401 && typeof window !== "undefined") {
    window.location.assign(signInPath(window.location.pathname + window.location.search));
  }
  throw error;
}

/** `/signin?callbackUrl=...`, keeping slashes readable (`callbackUrl=/videos`). */
export function signInPath(callbackUrl?: string): string {
  if (!callbackUrl || callbackUrl === "/") return "/signin";
  return `/signin?callbackUrl=${encodeURIComponent(callbackUrl).replace(/%2F/gi, "/")}`;
}

/** Seconds from a `Retry-After` header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

async function readError(res: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(res.headers.get("Retry-After"));
  let code = statusCode(res.status);
  let message = res.statusText || `Request failed (${res.status})`;
  try {
    // Not every non-2xx is ours: a WAF or CDN denial is HTML or XML, so parse defensively.
    const body = (await res.json()) as Partial<ApiErrorBody> | null;
    if (body?.error?.code) code = body.error.code;
    if (body?.error?.message) message = body.error.message;
  } catch {
    // keep the status-derived code and message
  }
  return new ApiError(res.status, code, message, retryAfter);
}

function statusCode(status: number): string {
  switch (status) {
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 429:
      return "rate_limited";
    default:
      return status >= 500 ? "internal" : "bad_request";
  }
}
