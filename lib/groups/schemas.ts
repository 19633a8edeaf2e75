import "server-only";
import { z } from "zod";
import { ID_PATTERN } from "@/lib/storage/bucket-keys";

export const groupId = z.string().regex(ID_PATTERN, "not a group id");

export const groupParams = z.object({ id: groupId });

const name = z
  .string()
  .trim()
  .min(1, "a group needs a name")
  .max(80)
  .regex(/^[^\0]*$/, "NUL characters are not allowed");
const description = z.string().trim().max(500);

export const createGroupBody = z.object({ name, description: description.optional() }).strict();

export const updateGroupBody = z
  .object({ name: name.optional(), description: description.optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, "nothing to change");

/** A whole set of groups (replaces the current one); at most 50, no repeats. */
export const groupIdSet = z
  .array(groupId)
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, "a group is listed twice");
