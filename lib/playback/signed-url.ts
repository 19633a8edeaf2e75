import "server-only";
import { clientIp } from "@/lib/api/client-ip";
import { recordGrant } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth";
import { checkSignedUrlInput, createSignedUrl, type SignedUrlInput } from "@/lib/cloudfront";
import { AppError } from "@/lib/errors";
import { groupIdsOf } from "@/lib/groups";
import { ALL_MEMBERS, CATALOG_ROOT, MEDIA_ROOT } from "@/lib/storage/bucket-keys";
import { findWatchable } from "./find-watchable";
import { newGrantKey } from "./issue";

const NOT_YOURS = "No such object, or it is not available to you.";

/**
 * POST /api/signed-urls: a signed URL for one object, held to the same rule as cookies.
 * An object in a video's folder needs a video the member may watch now; a catalog
 * image needs its folder to be one of the member's (every member's, or one of their
 * groups'). Admins may sign anything under /media/. Every URL is in the access log.
 */
export async function issueSignedUrl(
  user: SessionUser,
  req: Request,
  input: SignedUrlInput,
): Promise<{ url: string; expiresAt: Date }> {
  const { path } = checkSignedUrlInput(input);
  const key = path.slice(1);
  let videoId: string;
  if (key.startsWith(MEDIA_ROOT)) {
    videoId = key.slice(MEDIA_ROOT.length).split("/")[0] ?? "";
    const rest = key.slice(MEDIA_ROOT.length + videoId.length);
    if (!videoId || rest.length <= 1) throw new AppError("not_found", NOT_YOURS);
    await findWatchable(user, videoId);
  } else if (key.startsWith(CATALOG_ROOT)) {
    const [audience = "", file = "", ...more] = key.slice(CATALOG_ROOT.length).split("/");
    if (!file || more.length > 0) throw new AppError("not_found", NOT_YOURS);
    if (user.role !== "admin" && audience !== ALL_MEMBERS) {
      if (!(await groupIdsOf(user.id)).includes(audience)) {
        throw new AppError("not_found", NOT_YOURS);
      }
    }
    videoId = file.replace(/\.jpg$/, "");
  } else if (user.role === "admin") {
    videoId = "";
  } else {
    throw new AppError("not_found", NOT_YOURS);
  }
  const signed = await createSignedUrl(input);
  recordGrant({
    grantKey: newGrantKey(),
    userId: user.id,
    userEmail: user.email,
    videoId,
    kind: "url",
    streamId: null,
    address: clientIp(req.headers),
    userAgent: req.headers.get("user-agent"),
    at: new Date(),
  });
  return signed;
}
