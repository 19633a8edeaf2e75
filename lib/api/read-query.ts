import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * Validates a request's query string. A parameter given twice is refused (400) rather
 * than read as its first or last value: two readers picking different copies is how
 * checks get bypassed (the sign-in form's repeated `email`, #18).
 */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const params = new URL(req.url).searchParams;
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) throw new AppError("bad_request", `${name}: given more than once.`);
    seen.add(name);
  }
  return schema.parse(Object.fromEntries(params));
}
