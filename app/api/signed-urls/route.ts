import { withSession } from "@/lib/auth";
import { json } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { signedUrlInput } from "@/lib/cloudfront";
import { issueSignedUrl } from "@/lib/playback";
import { otherMethods } from "@/lib/api/methods";

// POST /api/signed-urls - a signed URL (canned policy) for one object of a video the member may watch
export const POST = withSession(async ({ req, user }) => {
  const input = await readJson(req, signedUrlInput);
  const { url, expiresAt } = await issueSignedUrl(user, req, input);
  return json({ url, expiresAt: expiresAt.toISOString() });
});

// Every other method: a JSON 405 with Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
