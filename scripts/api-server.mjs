/**
 * The API server: Next.js's standalone build (`.next-api/standalone`, route handlers
 * only), served through Next's custom-server API, with one difference from Next's own
 * `server.js`: the routes in DIRECT_ROUTES are answered by their route handler called
 * straight from here, without Next's router.
 *
 *   node scripts/api-server.mjs          (PORT, HOSTNAME as for Next's server.js)
 *
 * Why: the cookie issuance (`POST /api/signed-cookies`) is the API's hottest call: every
 * member asks on every watch page and renews while playing. Next's router costs about
 * 1.6 ms of CPU per request on the 2-core machine the bench runs on (a handler that only
 * answers 404 peaks near 600 req/s), several times the issuance's own work, and the
 * issue sets issuance at 0.7x the raw RSA signing rate. The handler, its wrappers
 * (origin check, session, errors) and its module state are the same code Next runs:
 * the compiled route module from the build, loaded once through Node's require cache,
 * which Next's loader shares. Everything else (other routes, other methods, paths with
 * a query, a trailing slash or an escape, `proxy.ts`) goes through Next unchanged.
 * `API_DIRECT_ROUTES=0` turns the direct dispatch off.
 *
 * Plain JavaScript, no build step: the image runs it as it is (Dockerfile CMD).
 */
import http from "node:http";
import path from "node:path";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Buffer } from "node:buffer";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { format, stripVTControlCharacters } from "node:util";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(
  process.env.REELGATE_API_DIR ?? path.join(here, "../.next-api/standalone"),
);
const require = createRequire(path.join(dir, "server.js"));
const distDir = ".next-api";

/** pathname -> the compiled route module, relative to the build's server folder. */
const DIRECT_ROUTES = new Map([["/api/signed-cookies", "app/api/signed-cookies/route.js"]]);

// What Next's generated server.js does before it starts: production mode, the build's
// serialized config, and the standalone folder as the working directory.
process.env.NODE_ENV = "production";
const { config } = JSON.parse(
  readFileSync(path.join(dir, distDir, "required-server-files.json"), "utf8"),
);
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
process.chdir(dir);
process.title = "reelgate-api";

const port = Number.parseInt(process.env.PORT ?? "", 10) || 3000;
const hostname = process.env.HOSTNAME || "0.0.0.0";
const keepAliveTimeout = Number.parseInt(process.env.KEEP_ALIVE_TIMEOUT ?? "", 10);

// The process's logger, before anything can print: one JSON object per line on stdout
// (lib/observability/logger.ts has the same settings and reuses this instance through
// globalThis). console.* is routed into it, so what Next.js or a library prints is JSON
// too, and every line CloudWatch Logs (or `npm start`'s DATA_DIR/logs) gets parses.
const pino = require("pino");
const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const level = LEVELS.includes(process.env.LOG_LEVEL ?? "") ? process.env.LOG_LEVEL : "info";
// Asynchronous: under load the lines of many requests go out in one write, and pino
// flushes what is left when the process exits.
const log = pino(
  {
    level,
    base: { process: "api", pid: process.pid },
    messageKey: "msg",
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // REDACTED_PATHS of lib/observability/logger.ts (plain JS here, so a copy).
    redact: {
      paths: [
        "password",
        "passwordHash",
        "*.password",
        "*.passwordHash",
        "cookie",
        "cookies",
        "headers.cookie",
        "headers.authorization",
        'headers["set-cookie"]',
        "*.headers.cookie",
        "*.headers.authorization",
        'headers["x-origin-verify"]',
      ],
      censor: "[redacted]",
    },
  },
  pino.destination({ dest: 1, sync: false }),
);
globalThis.__reelgateLogger = log;
for (const [method, logLevel] of [
  ["log", "info"],
  ["info", "info"],
  ["warn", "warn"],
  ["error", "error"],
  ["debug", "debug"],
]) {
  // Without the terminal colours Next.js puts in its own lines.
  console[method] = (...args) => log[logLevel](stripVTControlCharacters(format(...args)));
}

const next = require("next");
// The standalone build traces next/dist only (no `next/server` entry), and a bare
// "next/server" would resolve to another copy of Next further up the tree.
const { NextRequest } = require("next/dist/server/web/spec-extension/request");
const app = next({ dev: false, dir, conf: config, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

/** pathname -> { METHOD: handler } for the methods the route module exports. */
const direct = new Map();
if (process.env.API_DIRECT_ROUTES !== "0") {
  for (const [pathname, file] of DIRECT_ROUTES) {
    const userland = require(path.join(dir, distDir, "server", file)).routeModule?.userland;
    if (!userland) throw new Error(`${file}: not a route module (has the Next.js build changed?)`);
    direct.set(pathname, userland);
  }
}

const INTERNAL_ERROR = JSON.stringify({
  error: { code: "internal", message: "Something went wrong on our side." },
});

/** Calls a route handler as Next would: a NextRequest in, its Response written out. */
async function callHandler(handler, req, res) {
  let response;
  try {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    }
    // A body only when the request has one (a web stream per request is not free).
    const hasBody =
      req.method !== "GET" &&
      req.method !== "HEAD" &&
      (req.headers["transfer-encoding"] !== undefined ||
        Number(req.headers["content-length"] ?? 0) > 0);
    const body = hasBody ? Readable.toWeb(req) : undefined;
    const request = new NextRequest(`http://${req.headers.host ?? "localhost"}${req.url}`, {
      method: req.method,
      headers,
      body,
      duplex: "half",
    });
    response = await handler(request, { params: Promise.resolve({}) });
  } catch (err) {
    // The handlers map their own errors (withErrors); this is the last line only.
    // The path only (a query string is never logged).
    log.error(
      { method: req.method, path: req.url.split("?")[0] },
      `handler failed: ${err?.message ?? err}`,
    );
    response = new Response(INTERNAL_ERROR, {
      status: 500,
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    });
  }
  const out = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = cookies;
  // The direct routes answer a few hundred bytes of JSON: read whole, sent with a length.
  const payload = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (payload) out["content-length"] = String(payload.length);
  res.writeHead(response.status, out);
  res.end(req.method === "HEAD" ? undefined : payload);
}

const server = http.createServer((req, res) => {
  const handler = direct.get(req.url)?.[req.method];
  if (handler) void callHandler(handler, req, res);
  else void handle(req, res);
});
if (Number.isFinite(keepAliveTimeout) && keepAliveTimeout >= 0) {
  server.keepAliveTimeout = keepAliveTimeout;
}
server.listen(port, hostname, () => {
  log.info(`listening on http://${hostname}:${port}`);
});

// Stop taking requests on SIGTERM/SIGINT. With PGlite the boot (lib/boot.ts) has its
// own handler, which stops the worker, closes the database and exits; otherwise this
// one closes Next and exits, as Next's server.js does.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close();
    server.closeIdleConnections();
    if (process.listenerCount(signal) > 0) return;
    void app
      .close()
      .catch(() => {})
      .finally(() => process.exit(signal === "SIGTERM" ? 143 : 130));
  });
}
