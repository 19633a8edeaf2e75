import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * Reads a JSON body with a size cap and validates it. Each failure has its own
 * status: wrong content type 415, too large 413, not JSON 400, wrong shape 422 (the
 * zod error is mapped by the handler wrapper). A string holding a NUL character is
 * refused too (422): Postgres text cannot store one, so it would fail as a 500 later.
 */
export async function readJson<S extends z.ZodType>(
  req: Request,
  schema: S,
  { maxBytes = 64 * 1024 }: { maxBytes?: number } = {},
): Promise<z.infer<S>> {
  const text = await readText(req, {
    maxBytes,
    type: /^application\/json\s*(?:;|$)/i,
    typeMessage: "Send the body as application/json.",
  });
  let data: unknown;
  try {
    data = JSON.parse(text, refuseNul);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("bad_request", "The body is not valid JSON.");
  }
  return schema.parse(data);
}

/**
 * Like {@link readJson} for a route whose body may be left out: a request with no body
 * at all (no Content-Length, or 0, and not chunked) is read as `{}`; one with a body is
 * held to everything readJson checks.
 */
export async function readOptionalJson<S extends z.ZodType>(
  req: Request,
  schema: S,
  options: { maxBytes?: number } = {},
): Promise<z.infer<S>> {
  const length = req.headers.get("content-length");
  const chunked = req.headers.get("transfer-encoding") !== null;
  if (!chunked && (length === null || length === "0") && !req.headers.get("content-type")) {
    return schema.parse({});
  }
  return readJson(req, schema, options);
}

function refuseNul(key: string, value: unknown): unknown {
  if (typeof value === "string" && value.includes("\0")) {
    throw new AppError("unprocessable", `${key || "body"}: NUL characters are not allowed.`);
  }
  return value;
}

/**
 * Reads a text body of an expected content type (415 otherwise) with a size cap
 * (413 when the declared or the actual size is over it).
 */
export async function readText(
  req: Request,
  { maxBytes, type, typeMessage }: { maxBytes: number; type: RegExp; typeMessage: string },
): Promise<string> {
  const contentType = req.headers.get("content-type") ?? "";
  if (!type.test(contentType)) {
    throw new AppError("unsupported_media_type", typeMessage);
  }
  // Bodies are read as UTF-8; another declared charset would be read as garbage.
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw new AppError("unsupported_media_type", "Send the body as UTF-8.");
  }
  return readCapped(req, maxBytes);
}

/**
 * Reads a body of any type with a size cap (413 when the declared or the actual size is
 * over it). Content-Length can be absent (chunked) or wrong, so the cap is enforced
 * while reading.
 */
export async function readCapped(req: Request, maxBytes: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    throw new AppError("payload_too_large", `The body is larger than ${maxBytes} bytes.`);
  }
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new AppError("payload_too_large", `The body is larger than ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
