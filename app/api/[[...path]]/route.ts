import { withErrors } from "@/lib/api/with-errors";
import { AppError } from "@/lib/errors";

// Any other /api path, /api itself included: a JSON 404 in the API's error format, never a page.
const notFound = withErrors<{ path?: string[] }>(() => {
  throw new AppError("not_found", "No such API route.");
});

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
