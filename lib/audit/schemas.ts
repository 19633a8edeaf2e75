import "server-only";
import { z } from "zod";
import { videoId } from "@/lib/videos/schemas";

/** GET /api/admin/access-log query: one video's or one member's trail (or everyone's). */
export const accessLogQuery = z
  .object({
    videoId: videoId.optional(),
    userId: z.uuid("not a user id").optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
