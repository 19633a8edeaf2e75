import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { otherMethods } from "@/lib/api/methods";
import { analyticsQuerySchema, videoAnalytics } from "@/lib/analytics";
import { videoParams } from "@/lib/videos/schemas";

// GET /api/admin/analytics/videos/{id}?days= - one video's audience, retention and QoE (admins)
export const GET = withSession<{ id: string }>(
  async ({ req, params }) => {
    const { id } = videoParams.parse(params);
    const { days } = analyticsQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    return json(await videoAnalytics(id, days));
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
