/**
 * Response headers the distribution adds to pages (and API answers). infra/ builds
 * its CloudFront response headers policy from this same object, so the preview
 * edge and production send the same headers.
 */
export const SECURITY_HEADERS = {
  "strict-transport-security": "max-age=63072000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
  // Next's static export inlines small bootstrap scripts, hence 'unsafe-inline' for
  // scripts; hls.js feeds MSE from blob: URLs and may start a worker from a blob.
  "content-security-policy": [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; "),
} as const;
