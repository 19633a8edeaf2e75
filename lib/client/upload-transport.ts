// The uploader's only contact with the network, behind an interface so the
// uploader runs in node tests with a fake. JSON calls go through apiFetch; part
// bodies go with XMLHttpRequest because fetch still reports no upload progress.

import { apiFetch } from "./api";
import type { ApiErrorBody } from "@/lib/contract/types";

/** A refused or failed request. `status` 0 means no HTTP answer (network error). */
export class UploadHttpError extends Error {
  override name = "UploadHttpError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One part body to PUT to a same-origin route or a presigned S3 URL. */
export interface PartPutRequest {
  url: string;
  headers?: Record<string, string>;
  body: Blob;
  signal: AbortSignal;
  /** Bytes of this part sent so far. */
  onProgress: (loaded: number) => void;
}

export interface UploadTransport {
  /**
   * A JSON API call; resolves with the parsed body (undefined for 204). Throws an error
   * carrying the HTTP `status` (ApiError, UploadHttpError) when the server refuses.
   */
  json<T>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T>;
  /** PUTs one part and answers its ETag; throws UploadHttpError. */
  putPart(req: PartPutRequest): Promise<{ etag: string }>;
}

function errorFromResponse(status: number, text: string): UploadHttpError {
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (body.error && typeof body.error.message === "string") {
      return new UploadHttpError(status, body.error.code ?? "error", body.error.message);
    }
  } catch {
    // Not JSON: a proxy or S3 error page. Fall through to a generic message.
  }
  return new UploadHttpError(status, "http_error", `Request failed (HTTP ${status})`);
}

function abortError(): DOMException {
  return new DOMException("The upload was cancelled", "AbortError");
}

function putWithXhr(req: PartPutRequest): Promise<{ etag: string }> {
  return new Promise((resolve, reject) => {
    if (req.signal.aborted) return reject(abortError());
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    req.signal.addEventListener("abort", onAbort, { once: true });
    const done = () => req.signal.removeEventListener("abort", onAbort);

    xhr.open("PUT", req.url);
    for (const [name, value] of Object.entries(req.headers ?? {}))
      xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => req.onProgress(e.loaded);
    xhr.onload = () => {
      done();
      if (xhr.status < 200 || xhr.status >= 300) {
        return reject(errorFromResponse(xhr.status, xhr.responseText));
      }
      // S3 only lets the page read ETag when the bucket's CORS rule exposes it.
      const etag = xhr.getResponseHeader("ETag");
      if (!etag) {
        return reject(
          new UploadHttpError(
            xhr.status,
            "etag_missing",
            "The storage answered without an ETag header (CORS ExposeHeaders must include ETag)",
          ),
        );
      }
      resolve({ etag });
    };
    xhr.onerror = () => {
      done();
      reject(new UploadHttpError(0, "network", "Network error while sending a part"));
    };
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => {
      done();
      reject(abortError());
    };
    xhr.send(req.body);
  });
}

/** The transport the upload page uses. */
export function browserTransport(): UploadTransport {
  return {
    // No redirect on 401: leaving the page would stop every other upload; the row
    // shows the message and the upload stays resumable after signing in again.
    json: (method, path, body, signal) => apiFetch(path, { method, json: body, signal }),
    putPart: putWithXhr,
  };
}
