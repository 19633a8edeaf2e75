import { describe, expect, it } from "vitest";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { createLogger } from "@/lib/observability/logger";
import { emfRecord, EMF_METRICS, metricsSnapshot as snapshot } from "@/lib/observability/emf";
import { denialGroup } from "@/lib/observability/edge-metrics";
import { requestIdOf } from "@/lib/observability/request-id";
import { histogramQuantile, parsePrometheusText } from "@/lib/client/prometheus-text";
import { LogLines } from "../../scripts/log-lines";

describe("the logger", () => {
  it("writes one JSON object per line with level, time and process, and redacts secrets", () => {
    const lines: string[] = [];
    const log = createLogger("api", "info", { write: (s: string) => void lines.push(s) });
    log.info({ password: "hunter2", headers: { cookie: "a=b", host: "x" } }, "hello");
    log.debug("not at info");
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({ level: "info", process: "api", msg: "hello" });
    expect(new Date(record.time as string).toISOString()).toBe(record.time);
    expect(lines[0]).not.toContain("hunter2");
    expect(lines[0]).not.toContain("a=b");
  });
});

describe("the supervisor's log collector", () => {
  it("passes records, wraps other lines, joins chunks and keeps the password off the file", () => {
    const file: string[] = [];
    const terminal: string[] = [];
    const lines = new LogLines((batch, forFile) => {
      terminal.push(...batch);
      file.push(...forFile);
    });
    lines.push("api", '{"level":"info","msg":"a"}\nTypeError: boom\n    at x (y.js:1)\n{"lev');
    lines.push("api", 'el":"info","msg":"b"}\n');
    lines.push(
      "api",
      '{"level":"info","event":"first-admin","email":"a@b.c","msg":"created the first admin: a@b.c / s3cret-pw"}\n',
    );
    lines.push("api:stderr", "plain\n");
    expect(file, "written in one batch, not line by line").toEqual([]);
    lines.flush();
    for (const line of file) JSON.parse(line);
    expect(file.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      "a",
      "TypeError: boom",
      "    at x (y.js:1)",
      "b",
      "created the first admin: a@b.c / <see admin-credentials.txt>",
      "plain",
    ]);
    expect(file.join("\n")).not.toContain("s3cret-pw");
    expect(terminal.join("\n")).toContain("s3cret-pw");
    expect(JSON.parse(file.at(-1)!)).toMatchObject({ level: "error", process: "api" });
  });
});

describe("request ids", () => {
  it("takes CloudFront's id and replaces anything that is not one", () => {
    const id = "a".repeat(56);
    expect(requestIdOf(new Headers({ "x-amz-cf-id": id }))).toBe(id);
    for (const bad of ["", "short", 'x"; drop', "a".repeat(200)]) {
      const got = requestIdOf(new Headers({ "x-amz-cf-id": bad }));
      expect(got).not.toBe(bad);
      expect(got).toMatch(/^[A-Za-z0-9_-]{56}$/);
    }
  });
});

describe("edge refusal groups", () => {
  it.each([
    ["expired", "expired"],
    ["bad-signature", "bad_signature"],
    ["unknown-key", "bad_signature"],
    ["wrong-resource", "wrong_resource"],
    ["wrong-address", "ip"],
    ["missing-key-pair-id", "missing"],
    ["policy-not-json", "other"],
  ])("%s is %s", (reason, group) => expect(denialGroup(reason)).toBe(group));
});

describe("CloudWatch embedded metric format", () => {
  it("writes what changed since the last flush, histograms as values and counts", async () => {
    const registry = new Registry();
    const registers = [registry];
    const requests = new Counter({
      name: "reelgate_http_requests_total",
      help: "h",
      labelNames: ["route", "status"],
      registers,
    });
    const latency = new Histogram({
      name: "reelgate_http_request_duration_seconds",
      help: "h",
      labelNames: ["route"],
      buckets: [0.01, 0.1, 1],
      registers,
    });
    const age = new Gauge({ name: "reelgate_job_queue_oldest_age_seconds", help: "h", registers });
    requests.inc({ route: "/a", status: "200" }, 5);
    const before = await snapshot(registry);
    requests.inc({ route: "/a", status: "200" }, 3);
    requests.inc({ route: "/b", status: "503" }, 2);
    latency.observe({ route: "/a" }, 0.005);
    latency.observe({ route: "/b" }, 0.005);
    latency.observe({ route: "/a" }, 0.5);
    latency.observe({ route: "/a" }, 7);
    age.set(42);
    const at = new Date("2026-01-01T00:00:00Z");
    const record = emfRecord(before, await snapshot(registry), { Stage: "prod" }, at);
    expect(record).toEqual({
      _aws: {
        Timestamp: at.getTime(),
        CloudWatchMetrics: [
          {
            Namespace: "Reelgate",
            Dimensions: [["Stage"]],
            Metrics: [
              { Name: "Requests", Unit: "Count" },
              { Name: "Errors5xx", Unit: "Count" },
              { Name: "Latency", Unit: "Milliseconds" },
              { Name: "QueueAgeSeconds", Unit: "Seconds" },
            ],
          },
        ],
      },
      Stage: "prod",
      Requests: 5,
      Errors5xx: 2,
      Latency: { Values: [10, 1000, 1000], Counts: [2, 1, 1] },
      QueueAgeSeconds: 42,
    });
    const after = await snapshot(registry);
    expect(emfRecord(after, after, { Stage: "prod" }, at, EMF_METRICS)).toMatchObject({
      QueueAgeSeconds: 42,
    });
  });
});

describe("the dashboard's Prometheus reader", () => {
  it("reads samples and histogram quantiles", () => {
    const samples = parsePrometheusText(
      [
        "# HELP x y",
        'h_bucket{route="/a",le="0.1"} 90',
        'h_bucket{route="/a",le="1"} 100',
        'h_bucket{route="/a",le="+Inf"} 100',
        'c{reason="we \\"quote\\""} 3',
      ].join("\n"),
    );
    expect(samples.at(-1)).toEqual({ name: "c", labels: { reason: 'we "quote"' }, value: 3 });
    expect(histogramQuantile(samples, "h", 0.5)).toBeCloseTo(0.0556, 3);
    expect(histogramQuantile(samples, "h", 0.99)).toBeCloseTo(0.91, 3);
    expect(histogramQuantile(samples, "nothing", 0.5)).toBeNull();
  });
});
