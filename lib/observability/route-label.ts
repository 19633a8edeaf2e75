/** The label of a request whose path could not be matched to its params. */
export const UNMATCHED = "(unmatched)";

// A route file's path: anything else (an escape, a dot segment) is a caller's spelling,
// and each spelling would be a new series.
const ROUTE_PATTERN = /^(\/(?:[a-z0-9-]+|\[(?:\.\.\.)?[a-zA-Z]+\]))+$/;

/**
 * The route pattern of a request for metrics and logs (`/api/videos/[id]/progress`), from
 * its path and the params Next matched: each segment holding a param's value becomes the
 * param's name, so the label set stays as small as the route table. A catch-all's
 * segments (an array) become one `[...name]`.
 */
export function routeLabel(pathname: string, params: unknown): string {
  if (!params || typeof params !== "object") return pathname;
  const segments = pathname.split("/");
  for (const [name, value] of Object.entries(params as Record<string, unknown>)) {
    if (Array.isArray(value)) {
      const start = segments.length - value.length;
      if (value.length > 0 && start > 0) segments.splice(start, value.length, `[...${name}]`);
      else if (value.length === 0) segments.push(`[...${name}]`);
    } else if (typeof value === "string") {
      const at = segments.findLastIndex(
        (segment) => segment === value || decoded(segment) === value,
      );
      // An id spelled some other way on the wire: never let it into a label.
      if (at <= 0) return UNMATCHED;
      segments[at] = `[${name}]`;
    }
  }
  const label = segments.join("/").replace(/(.)\/$/, "$1");
  return ROUTE_PATTERN.test(label) ? label : UNMATCHED;
}

function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
