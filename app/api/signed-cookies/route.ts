import { withErrors, withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { clearMediaCookieHeaders, issueMediaCookies, serializeSetCookies } from "@/lib/cloudfront";
import { otherMethods } from "@/lib/api/methods";

// POST /api/signed-cookies - issue the CloudFront cookies for /media/* (members)
export const POST = withSession(async () => {
  const { cookies, expiresAt } = await issueMediaCookies();
  const res = json({ expiresAt: expiresAt.toISOString() });
  for (const header of serializeSetCookies(cookies, expiresAt))
    res.headers.append("set-cookie", header);
  return res;
});

// DELETE /api/signed-cookies - clear them (anyone)
export const DELETE = withErrors(() => {
  const res = new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  for (const header of clearMediaCookieHeaders()) res.headers.append("set-cookie", header);
  return res;
});

// Every other method: a JSON 405 with Allow.
export const { GET, PUT, PATCH, OPTIONS } = otherMethods("POST", "DELETE");
