import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { contentTypeFor } from "./content-type";
import { createAllowList, normalizeIp } from "./ip-allow-list";
import { loadViewerRequest } from "./load-viewer-request";
import {
  httpResponseHeaders,
  RESPONSE_HEADERS_POLICIES,
  SITE_CACHE_CONTROL,
  type ResponseHeadersPolicyName,
} from "./security-headers";
import { errorXml, parseCookieHeader, type Verdict, type MediaRequest } from "./cloudfront";
import { CLOUDFRONT_REQUEST_ID_HEADER, newRequestId } from "../lib/observability/request-id";

/** What the edge tells `observe` about each answer, once its last byte is sent. */
export interface EdgeAnswer {
  /** The request's id: on the answer and on the request to the API (x-amz-cf-id). */
  requestId: string;
  method: string;
  /** The path only; the query (which may hold a signed URL's signature) never. */
  path: string;
  behavior: Behavior;
  status: number;
  durationMs: number;
  /** Why a media request was refused (never the credentials themselves). */
  denial?: string;
}

/** Settings of the local preview distribution. */
export interface EdgeOptions {
  /** The static export (`out/`), origin of the default behavior. */
  siteDir: string;
  /** The local bucket folder; object `media/x` is served at `/media/x`. */
  bucketDir: string;
  /** Where the API server (Next.js standalone) listens. */
  api: { host: string; port: number };
  /** The WAF admin IP set. */
  adminCidrs: string[];
  /** Checks CloudFront signed cookies / URLs on /media/*. */
  verify: (request: MediaRequest) => Verdict;
  /** Scheme and host members use, e.g. http://localhost:3000 (signed resources name it). */
  publicOrigin: string;
  /** Log a line for an edge failure. */
  log?: (line: string) => void;
  /** Called once per answer (the access log and metrics; scripts/start.ts). */
  observe?: (answer: EdgeAnswer) => void;
}

const FORBIDDEN_ADMIN_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>403 - Reelgate</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>body{font:16px system-ui,sans-serif;background:#0b0b10;color:#e5e5ef;display:grid;place-items:center;min-height:100vh;margin:0}main{max-width:28rem;padding:2rem;text-align:center}h1{font-size:1.5rem}p{color:#a1a1b5}</style></head>
<body><main><h1>Admin area unavailable from your network</h1><p>The admin pages are only reachable from approved addresses. Ask an operator to add yours to the allow-list.</p></main></body></html>`;

// Headers that belong to one connection and must not be forwarded (RFC 9110 7.6.1).
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** One behavior of the distribution, in CloudFront's precedence order. */
type Behavior = "admin-api" | "api" | "media" | "admin-site" | "site";

/** CloudFront path patterns: `/api/admin/*`, `/api/*`, `/media/*`, `/admin*`, default. */
export function behaviorFor(pathname: string): Behavior {
  if (pathname.startsWith("/api/admin/")) return "admin-api";
  if (pathname.startsWith("/api/")) return "api";
  if (pathname.startsWith("/media/")) return "media";
  if (pathname.startsWith("/admin")) return "admin-site";
  return "site";
}

/**
 * The path the WAF's admin rule matches on (infra/lib/admin-web-acl.ts): URL-decoded,
 * dot segments and repeated slashes resolved, lowercased. The API server resolves
 * `/api/%2e%2e/api/admin/users` to an admin route, so the allow-list must see it as one.
 */
export function wafPath(pathname: string): string {
  let decoded = pathname;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // Like the WAF's URL_DECODE, a malformed escape is left as it is.
  }
  return path.posix.normalize(decoded).toLowerCase();
}

export class BadPath extends Error {}

/**
 * Decodes a request path and maps it into `root`. Anything that could leave the
 * root (`..` in any encoding, NUL, backslashes) is refused rather than normalized,
 * as S3 keys with such names are never written by the app.
 */
export function safeJoin(root: string, urlPath: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    throw new BadPath("malformed percent-encoding");
  }
  if (decoded.includes("\0") || decoded.includes("\\")) throw new BadPath("illegal character");
  const segments = decoded.split("/");
  if (segments.some((s) => s === ".." || s === ".")) throw new BadPath("dot segment");
  const full = path.resolve(root, "." + decoded);
  if (full !== root && !full.startsWith(root + path.sep)) throw new BadPath("outside root");
  return full;
}

/** Creates the preview distribution's HTTP server (not yet listening). */
export function createEdgeServer(options: EdgeOptions): http.Server {
  const siteDir = path.resolve(options.siteDir);
  const bucketDir = path.resolve(options.bucketDir);
  const isAdminAllowed = createAllowList(options.adminCidrs);
  const rewrite = loadViewerRequest();
  const publicOrigin = options.publicOrigin.replace(/\/+$/, "");
  const scheme = publicOrigin.startsWith("https:") ? "https" : "http";
  const log = options.log ?? (() => {});
  // Each policy as headers to set and (lower-case) origin headers to drop. Over http,
  // HSTS and the CSP's TLS-only directives are left out (see httpResponseHeaders).
  const policies = Object.fromEntries(
    Object.entries(RESPONSE_HEADERS_POLICIES).map(([name, policy]) => [
      name,
      {
        set: httpResponseHeaders(policy, { tls: scheme === "https" }),
        remove: new Set(policy.remove.map((h) => h.toLowerCase())),
      },
    ]),
  ) as Record<ResponseHeadersPolicyName, { set: Record<string, string>; remove: Set<string> }>;

  const server = http.createServer(
    {
      // Like CloudFront's request limits: huge headers get 431 from Node itself.
      maxHeaderSize: 20 * 1024,
    },
    (req, res) => {
      handle(req, res).catch((err: unknown) => {
        log(`edge error: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) sendText(res, 502, "Bad gateway");
        else res.destroy();
      });
    },
  );
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return;
    const status =
      err.code === "HPE_HEADER_OVERFLOW"
        ? "431 Request Header Fields Too Large"
        : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  });

  // Per answer: its id and, for a refused media request, why.
  const answers = new WeakMap<ServerResponse, { requestId: string; denial?: string }>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    // CloudFront names every request with an id it sends to the origin and back to the
    // viewer in X-Amz-Cf-Id; the preview edge does the same.
    const requestId = newRequestId();
    const answer: { requestId: string; denial?: string } = { requestId };
    answers.set(res, answer);
    res.setHeader(CLOUDFRONT_REQUEST_ID_HEADER, requestId);
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const behavior = behaviorFor(pathname);
    if (options.observe) {
      const observe = options.observe;
      res.once("close", () =>
        observe({
          requestId,
          method: req.method ?? "GET",
          path: pathname.slice(0, 1024),
          behavior,
          status: res.statusCode,
          durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
          denial: answer.denial,
        }),
      );
    }
    if (!rawUrl.startsWith("/") || rawUrl.length > 8192) return sendText(res, 400, "Bad request");
    // Every behavior's response headers policy goes on every answer it gives; `writeHead`
    // below keeps these over the origin's headers of the same name, as CloudFront does.
    const policy = policies.standard;
    for (const [name, value] of Object.entries(policy.set)) res.setHeader(name, value);
    const ruleBehavior = behaviorFor(wafPath(pathname));

    if (
      (ruleBehavior === "admin-api" || ruleBehavior === "admin-site") &&
      !isAdminAllowed(req.socket.remoteAddress)
    ) {
      writeHead(res, 403, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
      });
      res.end(req.method === "HEAD" ? undefined : FORBIDDEN_ADMIN_PAGE);
      return;
    }
    if (behavior === "api" || behavior === "admin-api") return proxyToApi(req, res, policy.remove);
    if (req.method !== "GET" && req.method !== "HEAD") {
      // The S3 behaviors allow GET and HEAD only; CloudFront answers others with 403.
      return sendXml(
        res,
        403,
        xmlError(
          "MethodNotAllowed",
          "This distribution is not configured to allow the HTTP request method that was used for this request.",
        ),
      );
    }
    if (behavior === "media") return serveMedia(req, res, rawUrl, pathname);
    return serveSite(req, res, pathname);
  }

  /** Forwards to the API; `remove`: the API's headers the policy drops (`removeHeaders`). */
  function proxyToApi(req: IncomingMessage, res: ServerResponse, remove: Set<string>): void {
    const peer = normalizeIp(req.socket.remoteAddress);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
    }
    // Replaced, never appended: what the client sent in these is not to be trusted.
    headers["cloudfront-viewer-address"] = `${peer}:${req.socket.remotePort ?? 0}`;
    headers["x-forwarded-for"] = peer;
    headers["x-forwarded-proto"] = scheme;
    headers["x-forwarded-host"] = req.headers.host ?? new URL(publicOrigin).host;
    const id = answers.get(res)?.requestId;
    if (id) headers[CLOUDFRONT_REQUEST_ID_HEADER] = id;
    // Transfer-Encoding is hop-by-hop, and Node's client frames a body of DELETE or
    // OPTIONS only when told to: without this the API would see no body, and read the
    // chunks that follow as a new request.
    if (
      req.headers["transfer-encoding"] !== undefined &&
      req.headers["content-length"] === undefined
    )
      headers["transfer-encoding"] = "chunked";

    const upstream = http.request(
      {
        host: options.api.host,
        port: options.api.port,
        method: req.method,
        path: req.url,
        headers,
      },
      (up) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(up.headers)) {
          if (!HOP_BY_HOP.has(name) && !remove.has(name) && value !== undefined) out[name] = value;
        }
        writeHead(res, up.statusCode ?? 502, out, up.statusMessage);
        up.pipe(res);
        up.on("error", () => res.destroy());
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) {
        writeHead(res, 502, {
          "content-type": "application/json; charset=utf-8",
          "cache-control": "no-store",
        });
        res.end(
          JSON.stringify({
            error: { code: "bad_gateway", message: "The API server is not reachable." },
          }),
        );
      } else res.destroy();
    });
    req.on("aborted", () => upstream.destroy());
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  async function serveMedia(
    req: IncomingMessage,
    res: ServerResponse,
    rawUrl: string,
    pathname: string,
  ): Promise<void> {
    const host = req.headers.host ?? new URL(publicOrigin).host;
    const verdict = options.verify({
      url: `${scheme}://${host}${rawUrl}`,
      cookies: parseCookieHeader(req.headers.cookie),
      sourceIp: normalizeIp(req.socket.remoteAddress),
    });
    if (!verdict.ok) {
      const answer = answers.get(res);
      if (answer) answer.denial = verdict.reason;
      return sendXml(res, 403, errorXml(verdict));
    }
    let file: string;
    try {
      file = safeJoin(bucketDir, pathname);
    } catch {
      return sendXml(res, 400, xmlError("InvalidURI", "Couldn't parse the specified URI."));
    }
    // S3 behind Origin Access Control has no ListBucket, so a missing key is a 403.
    if (!(await sendFile(req, res, file, mediaCacheControl(pathname)))) {
      return sendXml(res, 403, xmlError("AccessDenied", "Access Denied"));
    }
  }

  async function serveSite(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<void> {
    let file: string;
    try {
      file = safeJoin(siteDir, rewrite(pathname, req.method ?? "GET"));
    } catch {
      return sendText(res, 400, "Bad request");
    }
    // The Cache-Control the site deployment stores on the object; a 404 gets none of it.
    const cacheControl = pathname.startsWith("/_next/static/")
      ? SITE_CACHE_CONTROL.hashed
      : SITE_CACHE_CONTROL.other;
    if (await sendFile(req, res, file, cacheControl)) return;
    // The site's own 404 page, as the distribution's custom error response for the
    // default behavior would serve it; never index.html, never for /api or /media.
    const notFound = path.join(siteDir, "404.html");
    if (!(await sendFile(req, res, notFound, "no-store", 404))) {
      sendText(res, 404, "Not found");
    }
  }

  return server;
}

function mediaCacheControl(pathname: string): string {
  // Playlists may be replaced (re-transcode); segments and posters never change under one name.
  if (pathname.endsWith(".m3u8")) return "private, max-age=5";
  // A catalog image is removed when its video is unpublished (lib/catalog-images/sync.ts).
  if (pathname.startsWith("/media/posters/")) return "private, max-age=300";
  return "private, max-age=31536000, immutable";
}

/**
 * Streams a file with Range support. Returns false when there is no such regular
 * file, so the caller picks the behavior's own error.
 */
async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  cacheControl: string,
  status = 200,
): Promise<boolean> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return false;
  const size = info.size;
  const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers: http.OutgoingHttpHeaders = {
    "content-type": contentTypeFor(file),
    "cache-control": cacheControl,
    "accept-ranges": "bytes",
    "last-modified": info.mtime.toUTCString(),
    etag,
  };
  if (status === 200 && req.headers["if-none-match"] === etag) {
    writeHead(res, 304, headers);
    res.end();
    return true;
  }
  let start = 0;
  let end = size - 1;
  const range = status === 200 ? req.headers.range : undefined;
  if (range) {
    const parsed = parseRange(range, size);
    if (parsed === "unsatisfiable") {
      writeHead(res, 416, { ...headers, "content-range": `bytes */${size}` });
      res.end();
      return true;
    }
    if (parsed) {
      [start, end] = parsed;
      status = 206;
      headers["content-range"] = `bytes ${start}-${end}/${size}`;
    }
  }
  headers["content-length"] = size === 0 ? 0 : end - start + 1;
  writeHead(res, status, headers);
  if (req.method === "HEAD" || size === 0) {
    res.end();
    return true;
  }
  const stream = createReadStream(file, { start, end });
  stream.on("error", () => res.destroy());
  stream.pipe(res);
  return true;
}

/** A single `bytes=` range (what players send); multi-range requests get the whole body. */
export function parseRange(
  header: string,
  size: number,
): [number, number] | "unsatisfiable" | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return [start, end];
}

/** An error body in the S3/CloudFront XML shape, for failures that are not signature checks. */
function xmlError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

/**
 * Writes the status line with the origin's (or the edge's own) headers, after the
 * behavior's response headers policy set with `res.setHeader`: a policy header wins over
 * the origin's of the same name, as `override: true` makes CloudFront do.
 */
function writeHead(
  res: ServerResponse,
  status: number,
  headers: http.OutgoingHttpHeaders,
  statusMessage?: string,
): void {
  const kept: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!res.hasHeader(name)) kept[name] = value;
  }
  res.writeHead(status, statusMessage, kept);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  writeHead(res, status, {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(text);
}

function sendXml(res: ServerResponse, status: number, body: string): void {
  writeHead(res, status, { "content-type": "application/xml", "cache-control": "no-store" });
  res.end(body);
}
