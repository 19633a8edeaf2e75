import { withErrors } from "@/lib/api/with-errors";
import { currentUser, withSession } from "@/lib/auth";
import { json, noContent } from "@/lib/api/respond";
import { readOptionalJson } from "@/lib/api/read-json";
import { otherMethods } from "@/lib/api/methods";
import {
  clearCookiesBody,
  issueCatalogCookies,
  issuePlaybackCookies,
  signOutMedia,
  signedCookiesBody,
} from "@/lib/playback";

// POST /api/signed-cookies - {videoId}: that video's playback cookies (stream-counted);
// no body: the catalog's image cookies (members)
export const POST = withSession(async ({ req, user }) => {
  const { videoId } = await readOptionalJson(req, signedCookiesBody);
  const issued = videoId
    ? await issuePlaybackCookies(user, req, videoId)
    : await issueCatalogCookies(user);
  const res = json(issued.body);
  for (const header of issued.setCookies) res.headers.append("set-cookie", header);
  return res;
});

// DELETE /api/signed-cookies - clear every media cookie this browser holds (anyone)
export const DELETE = withErrors(async ({ req }) => {
  const { paths } = await readOptionalJson(req, clearCookiesBody);
  const headers = await signOutMedia(await currentUser(req), req, paths ?? []);
  const res = noContent();
  for (const header of headers) res.headers.append("set-cookie", header);
  return res;
});

// Every other method: a JSON 405 with Allow.
export const { GET, PUT, PATCH, OPTIONS } = otherMethods("POST", "DELETE");
