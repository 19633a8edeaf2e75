import "server-only";
import { withErrors } from "./with-errors";
import { AppError } from "@/lib/errors";
import { noContent } from "./respond";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Handlers for the methods a route does not have. Next answers those itself with an
 * empty 405 (no JSON, no cache-control) and lists every exported method in its
 * OPTIONS answer, so each route takes from here the methods it lacks and OPTIONS:
 *
 *   export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
 */
export function otherMethods(...allowed: Method[]) {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse = withErrors<unknown>(() => {
    throw new AppError("method_not_allowed", `This route allows ${allow} only.`, { allow });
  });
  const OPTIONS = () => noContent({ headers: { allow } });
  return { GET: refuse, POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse, OPTIONS };
}
