import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * Reads a JSON body with a size cap and validates it. Each failure has its own
 * status: wrong content type 415, too large 413, not JSON 400, wrong shape 422 (the
 * zod error is mapped by the handler wrapper).
 */
export async function readJson<S extends z.ZodType>(
  req: Request,
  schema: S,
  { maxBytes = 64 * 1024 }: { maxBytes?: number } = {},
): Promise<z.infer<S>> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as application/json.");
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    throw new AppError("payload_too_large", `The body is larger than ${maxBytes} bytes.`);
  }
  const text = await readCapped(req, maxBytes);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON.");
  }
  return schema.parse(data);
}

// Content-Length can be absent (chunked) or wrong, so the cap is enforced while reading.
async function readCapped(req: Request, maxBytes: number): Promise<string> {
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
