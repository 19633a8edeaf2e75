import { NextResponse, type NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/respond";
import { AppError } from "@/lib/errors";

/**
 * Next decodes the path to match a route, and a path with malformed percent-encoding
 * (`/api/videos/%ZZ`, `%C0%AE`) makes it render a 400 page that this pages-less API
 * build does not have: a plain-text 500. Such paths are refused here, before routing,
 * in the API's error format. (Only the api build has this file: the static build
 * sees .tsx files only.)
 */
export function proxy(req: NextRequest): Response {
  try {
    decodeURIComponent(req.nextUrl.pathname);
  } catch {
    return errorResponse(new AppError("bad_request", "The path has malformed percent-encoding."));
  }
  return NextResponse.next();
}

// Next matches a path it can decode in its decoded form, and one it cannot as it came:
// only the latter (or a decoded %25) still holds a "%". The matcher must stay this
// narrow: for every request it matches, Next reads the whole body (and keeps up to
// 10 MB of it) before the route handler runs, which would defeat the handlers' size caps.
export const config = { matcher: "/api/:rest(.*%.*)" };
