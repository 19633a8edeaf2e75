import "server-only";
import { z } from "zod";
import { videoId } from "@/lib/videos/schemas";

/** POST /api/signed-cookies body: `{videoId}` for playback cookies; none for the catalog's. */
export const signedCookiesBody = z.object({ videoId: videoId.optional() }).strict();

/** DELETE /api/streams/{id} */
export const streamParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{22}$/, "not a stream id"),
});
