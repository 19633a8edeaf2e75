import "server-only";

/**
 * The viewer's address as the distribution saw it. CloudFront adds
 * `CloudFront-Viewer-Address: ip:port` (forwarded by the /api/* origin request
 * policy), and the preview edge sets the same header from the socket's peer, so the
 * app reads one header in both places. X-Forwarded-For is never trusted here: a
 * client can put anything in front of what CloudFront appends.
 */
export function clientIp(headers: Headers): string {
  const viewer = headers.get("cloudfront-viewer-address");
  if (!viewer) return "unknown";
  // IPv6 addresses contain colons too: the port is what follows the last one.
  const at = viewer.lastIndexOf(":");
  const ip = at > 0 ? viewer.slice(0, at) : viewer;
  return ip.replace(/^\[|\]$/g, "").replace(/^::ffff:/, "");
}
