import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { otherMethods } from "@/lib/api/methods";
import { accessLogQuery, listAccessLog } from "@/lib/audit";

// GET /api/admin/access-log?videoId=&userId=&limit=&before= - who was issued which video's credentials
export const GET = withSession(
  async ({ req }) => {
    const query = accessLogQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
    return json(
      await listAccessLog({
        videoId: query.videoId,
        userId: query.userId,
        limit: query.limit,
        before: query.before ? new Date(query.before) : undefined,
      }),
    );
  },
  { role: "admin" },
);

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
