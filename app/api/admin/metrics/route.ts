import { withSession } from "@/lib/auth";
import { otherMethods } from "@/lib/api/methods";
import { adminMetricsText } from "@/lib/observability/admin-metrics";

// GET /api/admin/metrics - Prometheus text: the API's, the worker's and (locally) the edge's metrics
export const GET = withSession(
  async () => {
    const { text, contentType } = await adminMetricsText();
    return new Response(text, {
      headers: { "content-type": contentType, "cache-control": "no-store" },
    });
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
