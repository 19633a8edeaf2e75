import "server-only";
import { z } from "zod";
import { groupIdSet } from "@/lib/groups/schemas";

export const createUserBody = z.object({
  email: z.email().max(320),
  name: z.string().trim().max(200).optional(),
  role: z.enum(["member", "admin"]).default("member"),
  password: z.string().min(12, "at least 12 characters").max(1024).optional(),
});

export const updateUserBody = z
  .object({
    role: z.enum(["member", "admin"]).optional(),
    disabled: z.boolean().optional(),
    name: z.string().trim().max(200).nullable().optional(),
    /** The member groups (the whole set). */
    groupIds: groupIdSet.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, "nothing to change");

export const userId = z.uuid("not a user id");

export const userParams = z.object({ id: userId });

/** A password a member chooses: the same policy as an admin-made one. */
const newPassword = z.string().min(12, "at least 12 characters").max(1024);

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1, "required").max(1024),
  newPassword,
});

export const resetPasswordBody = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "not a reset token"),
  password: newPassword,
});

export const sessionParams = z.object({ id: z.uuid("not a session id") });
