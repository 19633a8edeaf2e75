import "server-only";
import { z } from "zod";
import { groupIdSet } from "@/lib/groups/schemas";
import { ID_PATTERN } from "@/lib/storage/bucket-keys";

export const videoId = z.string().regex(ID_PATTERN, "not a video id");

// Path parameters are parsed as an object, so that a refusal names the parameter
// ("id: not a video id") rather than reading as a fault in the body.
export const videoParams = z.object({ id: videoId });

export const progressBody = z.object({
  positionSeconds: z
    .number()
    .finite()
    .min(0)
    .max(7 * 24 * 3600),
});

export const catalogQuery = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .regex(/^[^\0]*$/, "NUL characters are not allowed")
    .optional()
    .default(""),
});

export const videoPatch = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().max(5000).optional(),
    published: z.boolean().optional(),
    /** The groups it is open to (the whole set); [] opens it to every member. */
    groupIds: groupIdSet.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, "nothing to change");

export const captionLang = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, "a language tag such as en or pt-BR");

export const captionParams = z.object({ id: videoId, lang: captionLang });
