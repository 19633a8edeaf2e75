import { withErrors } from "@/lib/api/with-errors";
import { redeemResetLink } from "@/lib/auth/account";
import { resetPasswordBody } from "@/lib/auth/schemas";
import { noContent } from "@/lib/api/respond";
import { readJson } from "@/lib/api/read-json";
import { otherMethods } from "@/lib/api/methods";

// POST /api/password-reset - set a new password with an admin's reset link (anyone)
export const POST = withErrors(async ({ req }) => {
  const { token, password } = await readJson(req, resetPasswordBody, { maxBytes: 16 * 1024 });
  await redeemResetLink(token, password);
  return noContent();
});

// Every other method: a JSON 405 with Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
