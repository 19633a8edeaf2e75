import "server-only";
import http from "node:http";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Logger } from "pino";
import { LATENCY_BUCKETS } from "./api-metrics";

/** What the preview edge reports of each answer (edge/server.ts `observe`). */
export interface EdgeRequestRecord {
  requestId: string;
  method: string;
  path: string;
  behavior: string;
  status: number;
  durationMs: number;
  /** Why a media request was refused (edge/cloudfront DenialReason). */
  denial?: string;
}

/**
 * The refusal groups an operator acts on: a burst of `expired` is members whose renewal
 * stopped, `bad_signature` a key mismatch (rotation) or tampering, `wrong_resource` a
 * player asking outside its grant, `ip` a source-address condition.
 */
export function denialGroup(reason: string): string {
  if (reason === "expired" || reason === "not-yet-valid") return "expired";
  if (reason === "bad-signature" || reason === "signature-encoding" || reason === "unknown-key")
    return "bad_signature";
  if (reason === "wrong-resource") return "wrong_resource";
  if (reason === "wrong-address" || reason === "policy-ip-address") return "ip";
  if (reason.startsWith("missing")) return "missing";
  return "other";
}

/** The preview edge's metrics and its per-request record (log line and counters). */
export function createEdgeObserver(log: Logger) {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: "reelgate_edge_" });
  const requests = new Counter({
    name: "reelgate_edge_requests_total",
    help: "Answers of the preview edge, by behavior and status",
    labelNames: ["behavior", "status"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "reelgate_edge_request_duration_seconds",
    help: "Time to the last byte of the preview edge's answers, by behavior",
    labelNames: ["behavior"] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const denied = new Counter({
    name: "reelgate_edge_media_denied_total",
    help: "Media requests the edge refused (403), by reason group",
    labelNames: ["reason"] as const,
    registers,
  });
  const observe = (record: EdgeRequestRecord) => {
    requests.inc({ behavior: record.behavior, status: String(record.status) });
    duration.observe({ behavior: record.behavior }, record.durationMs / 1000);
    if (record.denial) denied.inc({ reason: denialGroup(record.denial) });
    const level = record.status >= 500 ? "error" : "info";
    if (log.isLevelEnabled(level)) log[level](record, "request");
  };
  return { registry, observe };
}

/**
 * Serves `registry` at `GET /metrics` on the loopback only, for the API server's admin
 * endpoint to merge (GET /api/admin/metrics): the admin check stays in the API, where the
 * sessions are, and nothing off this machine can reach the listener.
 */
export function serveMetrics(registry: Registry, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.url !== "/metrics" || req.method !== "GET") {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
