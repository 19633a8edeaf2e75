import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { otherMethods } from "@/lib/api/methods";
import { analyticsQuerySchema, analyticsSummary } from "@/lib/analytics";

// GET /api/admin/analytics?days= - views and watch time per day and per video (admins)
export const GET = withSession(
  async ({ req }) => {
    const { days } = analyticsQuerySchema.parse(Object.fromEntries(req.nextUrl.searchParams));
    return json(await analyticsSummary(days));
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
