import { readFileSync } from "node:fs";
import path from "node:path";
import { authFile, dataDir, expect, expectApiError, localOnly, test } from "./support";

// One request, one id: the edge makes it (CloudFront's x-amz-cf-id), the API echoes it
// in x-request-id and in its error body, and both processes' JSON records carry it. The
// metrics are Prometheus text for admins only, the edge's among them.

type LogRecord = Record<string, unknown> & { process?: string; requestId?: string };

function records(): LogRecord[] {
  const text = readFileSync(path.join(dataDir, "logs", "reelgate.log"), "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogRecord);
}

async function recordsOf(requestId: string): Promise<LogRecord[]> {
  let found: LogRecord[] = [];
  // The log is written asynchronously (the API server's output goes through npm start).
  await expect
    .poll(
      () => {
        found = records().filter((r) => r.requestId === requestId);
        return found.map((r) => r.process).sort();
      },
      { timeout: 10_000 },
    )
    .toEqual(["api", "edge"]);
  return found;
}

test("one request id in the edge's, the API's and the answer's records", async ({ memberPage }) => {
  localOnly("reads the preview's DATA_DIR/logs");
  const ok = await memberPage.request.get("/api/me");
  expect(ok.status()).toBe(200);
  const id = ok.headers()["x-request-id"]!;
  expect(id).toMatch(/^[A-Za-z0-9_-]{56}$/);
  expect(ok.headers()["x-amz-cf-id"]).toBe(id);
  const [api, edge] = (await recordsOf(id)).sort((a, b) =>
    String(a.process).localeCompare(String(b.process)),
  );
  expect(api).toMatchObject({
    level: "info",
    process: "api",
    route: "/api/me",
    method: "GET",
    status: 200,
  });
  expect(edge).toMatchObject({ process: "edge", behavior: "api", path: "/api/me", status: 200 });
  for (const r of [api!, edge!]) {
    expect(typeof r.durationMs).toBe("number");
    expect(new Date(String(r.time)).toISOString()).toBe(r.time);
  }

  // An error: the same id in the body, and the route pattern, not the id, in the record.
  const bad = await memberPage.request.get("/api/videos/nosuchvideo1");
  const error = (await expectApiError(bad, 404)) as { requestId?: string };
  expect(error.requestId).toBe(bad.headers()["x-request-id"]);
  expect(error.requestId).toBe(bad.headers()["x-amz-cf-id"]);
  const [apiRecord] = (await recordsOf(error.requestId!)).filter((r) => r.process === "api");
  expect(apiRecord).toMatchObject({ route: "/api/videos/[id]", status: 404 });

  // A caller cannot choose the id: the edge replaces one sent to it.
  const forged = await memberPage.request.get("/api/me", {
    headers: { "x-amz-cf-id": "forged-request-id-0123456789" },
  });
  expect(forged.headers()["x-request-id"]).not.toBe("forged-request-id-0123456789");
});

test("a refused media request is logged and counted by reason, with no credential", async ({
  adminPage,
  playwright,
  baseURL,
}) => {
  localOnly("reads the preview's DATA_DIR/logs");
  const anyone = await playwright.request.newContext({ baseURL });
  const refused = await anyone.get(
    "/media/videos/x/hls/master.m3u8?Expires=1&Signature=c2lnbmF0dXJl&Key-Pair-Id=K1",
  );
  expect(refused.status()).toBe(403);
  const id = refused.headers()["x-amz-cf-id"]!;
  await expect
    .poll(() => records().find((r) => r.requestId === id), { timeout: 10_000 })
    .toMatchObject({ process: "edge", behavior: "media", status: 403, denial: "unknown-key" });
  const line = JSON.stringify(records().find((r) => r.requestId === id));
  expect(line).not.toContain("c2lnbmF0dXJl");
  expect(line).not.toContain("Expires=");

  const metrics = await adminPage.request.get("/api/admin/metrics");
  expect(metrics.status()).toBe(200);
  expect(metrics.headers()["content-type"]).toContain("text/plain");
  const text = await metrics.text();
  expect(text).toMatch(/^reelgate_edge_media_denied_total\{reason="bad_signature"\} [1-9]/m);
  expect(text).toMatch(/^reelgate_edge_up 1$/m);
  expect(text).toMatch(
    /^reelgate_http_requests_total\{route="\/api\/me",method="GET",status="200"\} [1-9]/m,
  );
  expect(text).toMatch(
    /^reelgate_http_request_duration_seconds_bucket\{le="\+Inf",[^}]*route="\/api\/me"[^}]*\} [1-9]/m,
  );
  expect(text).toMatch(/^reelgate_credentials_issued_total\{kind="cookies"\} [1-9]/m);
  expect(text).toMatch(/^reelgate_job_queue_oldest_age_seconds \d/m);
  expect(text).toMatch(/^reelgate_job_duration_seconds_count\{outcome="succeeded"\} [1-9]/m);
  await anyone.dispose();
});

test("the metrics are admins' only", async ({ playwright, baseURL }) => {
  const member = await playwright.request.newContext({ baseURL, storageState: authFile("member") });
  const anyone = await playwright.request.newContext({ baseURL });
  await expectApiError(await member.get("/api/admin/metrics"), 403);
  await expectApiError(await anyone.get("/api/admin/metrics"), 401);
  for (const days of ["0", "abc", "367", "1e9"])
    await expectApiError(await member.get(`/api/admin/analytics?days=${days}`), 403);
  await member.dispose();
  await anyone.dispose();
});

test("a bad analytics period is a 422", async ({ adminPage }) => {
  for (const days of ["0", "abc", "367", "1.5"])
    await expectApiError(await adminPage.request.get(`/api/admin/analytics?days=${days}`), 422);
});
